import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { asEntityRef, entityName, Section } from '@internal/platform-react';
import { NotesState, ProductReview } from './reviewGroups';
import { TeamTable } from './ReviewLine';
import { TeamSignOff } from './TeamSignOff';
import { DownloadButton } from '../DownloadButton/DownloadButton';

/** One product's part of the review: its teams, each with its SLOs. */
export const ProductSection = (props: {
  product: ProductReview;
  week: string;
  notes: NotesState;
}) => {
  const { product, week, notes } = props;
  const productName = product.product ? entityName(product.product) : undefined;
  return (
    <Section
      label={productName ? `Product ${productName}` : 'No product'}
      title={
        product.product ? (
          <EntityRefLink entityRef={asEntityRef(product.product, 'system')} />
        ) : (
          'No product'
        )
      }
    >
      <Stack spacing={3}>
        {product.teams.map(team => {
          const teamName = team.team ? entityName(team.team) : 'no team';
          return (
            <div key={team.team ?? ''}>
              <Typography variant="subtitle1" component="h3" gutterBottom>
                Team{' '}
                {team.team ? (
                  <EntityRefLink entityRef={asEntityRef(team.team, 'group')} />
                ) : (
                  '(none)'
                )}
              </Typography>
              {team.team && (
                <Stack
                  direction="row"
                  spacing={2}
                  alignItems="flex-start"
                  justifyContent="space-between"
                  sx={{ mb: 1 }}
                >
                  <TeamSignOff
                    key={`${week} ${team.team}`}
                    week={week}
                    team={team.team}
                    signOff={team.signOff}
                  />
                  <DownloadButton
                    label={`Export ${teamName} Markdown`}
                    filename={`slo-review-${week}-${teamName}.md`}
                    download={api =>
                      api.downloadReviewMarkdown(week, team.team)
                    }
                  />
                </Stack>
              )}
              <TeamTable
                label={`SLOs of ${
                  productName ?? 'no product'
                }, team ${teamName}`}
                lines={team.lines}
                week={week}
                notes={notes}
              />
            </div>
          );
        })}
      </Stack>
    </Section>
  );
};
