import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Typography from '@mui/material/Typography';
import { PrometheusConnection } from '@internal/slo-common';

/**
 * When the backend cannot evaluate SLOs: which Prometheus it tried (or that none is set) and
 * how to connect one. Renders nothing while Prometheus answers.
 */
export const PrometheusNotice = (props: {
  prometheus: PrometheusConnection;
}) => {
  const { prometheus } = props;
  if (prometheus.connected) {
    return null;
  }
  return (
    <Alert severity="warning" aria-label="Prometheus is not connected">
      <AlertTitle>Prometheus is not connected</AlertTitle>
      {prometheus.url ? (
        <Typography variant="body2">
          The SLO backend could not reach Prometheus at{' '}
          <code>{prometheus.url}</code>
          {prometheus.error ? `: ${prometheus.error}` : ''}. Check that it runs
          and that <code>slo.prometheus.baseUrl</code> in app-config points at
          it.
        </Typography>
      ) : (
        <Typography variant="body2">
          SLOs are measured with Prometheus, and none is configured. Set{' '}
          <code>slo.prometheus.baseUrl</code> in app-config (e.g.{' '}
          <code>http://prometheus.monitoring:9090</code>) and restart the
          backend.
        </Typography>
      )}
      <Typography variant="body2" sx={{ mt: 1 }}>
        Locally, the start command (<code>bash scripts/start.sh</code>) runs a
        Prometheus with demo traffic when the <code>prometheus</code> binary is
        installed: <code>apt-get install prometheus</code>, then start again.
        Until then SLOs show &ldquo;no data&rdquo;, never 100%.
      </Typography>
    </Alert>
  );
};
