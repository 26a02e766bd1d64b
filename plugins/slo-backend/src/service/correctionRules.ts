import type { SloCorrection } from '@internal/slo-common';
import { SLO_ALERT_NAME } from '@internal/slo-node';
import type { LoadedSlo } from './definitions';

/** A YAML comment line: one line, whatever the reason says. */
const comment = (text: string) => `# ${text.replace(/[\r\n]+/g, ' ')}`;

/**
 * The rules export's honest word on corrections: the portal leaves their ranges out of the budget,
 * Prometheus recording rules cannot (they sum raw counters over the window), so the exported
 * rules still count them; what Prometheus can do is keep the alerts quiet for the range with an
 * Alertmanager silence, given per correction.
 */
export function correctionsComment(
  slos: LoadedSlo[],
  corrections: SloCorrection[],
): string {
  if (corrections.length === 0) return '';
  const out = [
    comment(
      'Corrections: the portal leaves these time ranges out of the error budget. These recording',
    ),
    comment(
      'rules cannot leave a past range out (they sum the counters over the window), so Prometheus',
    ),
    comment(
      'still counts those events and its burn rates and budget differ from the portal until the',
    ),
    comment(
      'range has left the window. To keep the alerts quiet for a range, add an Alertmanager silence:',
    ),
  ];
  for (const slo of slos) {
    const mine = corrections.filter(c => c.sloKey === slo.identity.key);
    if (mine.length === 0) continue;
    out.push(comment(`SLO ${slo.definition.name} (${slo.identity.key}):`));
    for (const c of mine) {
      out.push(
        comment(
          `  ${c.from} to ${c.to}, ${c.category}: ${c.reason} (by ${c.author})`,
        ),
        comment(
          `  amtool silence add alertname=${SLO_ALERT_NAME} slo="${slo.definition.name}" service="${slo.definition.service}" --start=${c.from} --end=${c.to} --comment="SLO correction ${c.id}"`,
        ),
      );
    }
  }
  return `${out.join('\n')}\n`;
}
