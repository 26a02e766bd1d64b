import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  isDefinitionWarning,
  SloDefinitionProblem,
} from '@internal/slo-common';

const TEXT = {
  error: {
    title: (n: number) =>
      n === 1
        ? 'One SLO definition could not be used'
        : `${n} SLO definitions could not be used`,
    body: 'Fix the file and the SLO appears after the next evaluation; the other SLOs are not affected.',
  },
  warning: {
    title: (n: number) =>
      n === 1
        ? 'One SLO definition uses a default'
        : `${n} SLO definition warnings: defaults used`,
    body: 'These SLOs are evaluated with the default each message names; write the field to make it explicit.',
  },
};

const ProblemList = (props: {
  problems: SloDefinitionProblem[];
  showEntity: boolean;
  kind: 'error' | 'warning';
}) => {
  const { problems, showEntity, kind } = props;
  if (problems.length === 0) {
    return null;
  }
  const title = TEXT[kind].title(problems.length);
  return (
    <Alert severity={kind} aria-label={title}>
      <AlertTitle>{title}</AlertTitle>
      <Typography variant="body2" gutterBottom>
        {TEXT[kind].body}
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

/**
 * SLO definitions that could not be used, each with its file and the validator's exact message;
 * the SLOs that are valid show as usual. Warnings (a default was used, the SLO still counts) are
 * listed apart, so they do not read as broken SLOs.
 */
export const DefinitionProblems = (props: {
  problems: SloDefinitionProblem[];
  /** On the overview, name the entity each problem belongs to. */
  showEntity?: boolean;
}) => {
  const { problems, showEntity = false } = props;
  const warnings = problems.filter(isDefinitionWarning);
  const errors = problems.filter(p => !isDefinitionWarning(p));
  return (
    <>
      <ProblemList problems={errors} showEntity={showEntity} kind="error" />
      <ProblemList problems={warnings} showEntity={showEntity} kind="warning" />
    </>
  );
};
