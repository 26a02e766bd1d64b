import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { ScaffolderScaffoldOptions } from '@backstage/plugin-scaffolder-common';
import { scaffolderApiRef } from '@backstage/plugin-scaffolder-react';
import { ProposalPreview, UpgradePlan } from '@internal/golden-paths-common';
import { backendMessage } from '@internal/platform-react';
import { goldenPathsApiRef } from '../../api/GoldenPathsApi';
import { scaffolderTaskRouteRef } from '../../routes';
import { formAnswers, FormValues, validate } from './parameters';

/** The scaffolder template every upgrade runs through (templates/day-2/golden-path-upgrade.yaml). */
export const UPGRADE_TEMPLATE_REF = 'template:default/golden-path-upgrade';

/** What the form is doing: computing a preview, or starting the proposal. */
export type Busy = 'preview' | 'propose' | undefined;

/**
 * The upgrade page's two actions over the form's values, each checked first (field errors
 * shown, nothing sent): Preview asks the backend for a dry run; Propose starts the upgrade
 * template in the scaffolder and opens its task page, whose output links to the proposal.
 */
export function useUpgradeActions(plan: UpgradePlan, values: FormValues) {
  const api = useApi(goldenPathsApiRef);
  const scaffolderApi = useApi(scaffolderApiRef);
  const navigate = useNavigate();
  const taskLink = useRouteRef(scaffolderTaskRouteRef);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<Busy>();
  const [failure, setFailure] = useState<string>();
  const [preview, setPreview] = useState<ProposalPreview>();

  /** The answers to send (recorded, with the form's), or undefined when a field is wrong. */
  const checkedAnswers = () => {
    const found = validate(plan.newParameters, values);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      return undefined;
    }
    return { ...plan.answers, ...formAnswers(plan.newParameters, values) };
  };

  const run = async (kind: Busy, action: () => Promise<void>) => {
    setBusy(kind);
    setFailure(undefined);
    try {
      await action();
    } catch (error) {
      setFailure(backendMessage(error as Error));
    } finally {
      setBusy(undefined);
    }
  };

  const onPreview = () => {
    const answers = checkedAnswers();
    if (answers) {
      run('preview', async () => {
        setPreview(
          await api.preview({
            entityRef: plan.entityRef,
            kind: 'upgrade',
            toVersion: plan.toVersion,
            answers,
          }),
        );
      });
    }
  };

  const onPropose = () => {
    const answers = checkedAnswers();
    if (answers) {
      run('propose', async () => {
        const { taskId } = await scaffolderApi.scaffold({
          templateRef: UPGRADE_TEMPLATE_REF,
          values: {
            entityRef: plan.entityRef,
            kind: 'upgrade',
            toVersion: plan.toVersion,
            answers: answers as ScaffolderScaffoldOptions['values'],
          },
        });
        navigate(
          taskLink?.({ taskId }) ??
            `/create/tasks/${encodeURIComponent(taskId)}`,
        );
      });
    }
  };

  return { errors, busy, failure, preview, onPreview, onPropose };
}
