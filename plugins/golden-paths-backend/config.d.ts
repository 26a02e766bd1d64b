export interface Config {
  /** Golden paths on day 2 (plugins/golden-paths-backend): upgrades and day-2 changes of services made from templates. */
  goldenPaths?: {
    templates?: {
      /**
       * The folder holding the software templates (template YAML files and their skeletons),
       * inside a git working tree: a template's released versions are its `values.templateVersion`
       * through the folder's git history, and an upgrade renders the recorded and the target
       * version from it. Relative paths are resolved against the backend's working directory
       * (packages/backend when the portal runs). Default `../../templates`, the repository's
       * templates/. The repositories upgraded are read from
       * `scaffolder.payments.localPublish.directory` (local) or GitHub (`github.com/project-slug`).
       */
      directory?: string;
    };
    /** The embedded default's demo only; production leaves it out. */
    demo?: {
      /**
       * Services the demo keeps in `scaffolder.payments.localPublish.directory`, so the fleet shows
       * services behind today's templates from the first start: shortly after start, each whose
       * repository (named `answers.name`) is not there is rendered from `template` at `version`
       * (a released version older than today's) with `answers` through the scaffolder's dry run,
       * committed as a new local repository and registered in the catalog; one already there is
       * registered again when the catalog lacks it. A service that cannot be made is logged and
       * skipped.
       */
      services?: Array<{
        /** The template's name, e.g. payment-service. */
        template: string;
        /** A released version of it (x.y.z), e.g. 1.2.0. */
        version: string;
        /** The form's answers at that version; `name` names the repository and the Component. */
        answers: { [name: string]: string | number | boolean };
      }>;
    };
  };
}
