import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { SloDefinitionProblem } from '@internal/slo-common';

/**
 * SLO definitions that could not be used, each with its file and the validator's exact message;
 * the SLOs that are valid show as usual.
 */
export const DefinitionProblems = (props: {
  problems: SloDefinitionProblem[];
  /** On the overview, name the entity each problem belongs to. */
  showEntity?: boolean;
}) => {
  const { problems, showEntity = false } = props;
  if (problems.length === 0) {
    return null;
  }
  const title =
    problems.length === 1
      ? 'One SLO definition could not be used'
      : `${problems.length} SLO definitions could not be used`;
  return (
    <Alert severity="error" aria-label={title}>
      <AlertTitle>{title}</AlertTitle>
      <Typography variant="body2" gutterBottom>
        Fix the file and the SLO appears after the next evaluation; the other
        SLOs are not affected.
      </Typography>
      <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
        {problems.map(problem => (
          <li key={`${problem.entityRef}|${problem.source}|${problem.message}`}>
            <Typography variant="body2" component="div">
              {showEntity && (
                <>
                  <EntityRefLink entityRef={problem.entityRef} />
                  {': '}
                </>
              )}
              <code>{problem.source}</code>
            </Typography>
            <Typography
              variant="body2"
              component="div"
              sx={{ fontFamily: 'monospace', whiteSpace: 'pre-wrap' }}
            >
              {problem.message}
            </Typography>
          </li>
        ))}
      </Box>
    </Alert>
  );
};
