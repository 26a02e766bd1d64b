import Accordion from '@mui/material/Accordion';
import AccordionDetails from '@mui/material/AccordionDetails';
import AccordionSummary from '@mui/material/AccordionSummary';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';

/** The SLO's OpenSLO definition, collapsed until asked for, as monospace YAML. */
export const SloDefinition = (props: { yaml: string; source: string }) => {
  const { yaml, source } = props;
  return (
    <Accordion
      variant="outlined"
      disableGutters
      TransitionProps={{ unmountOnExit: true }}
      sx={{ '&:before': { display: 'none' } }}
    >
      <AccordionSummary expandIcon={<span aria-hidden="true">&#9662;</span>}>
        <Typography variant="body2">
          Definition{' '}
          <Typography component="span" variant="caption" color="text.secondary">
            ({source})
          </Typography>
        </Typography>
      </AccordionSummary>
      <AccordionDetails>
        <Box
          component="pre"
          sx={{
            m: 0,
            p: 1.5,
            overflowX: 'auto',
            fontFamily: 'monospace',
            fontSize: 12,
            lineHeight: 1.5,
            bgcolor: 'action.hover',
            borderRadius: 1,
          }}
        >
          <code>{yaml}</code>
        </Box>
      </AccordionDetails>
    </Accordion>
  );
};
