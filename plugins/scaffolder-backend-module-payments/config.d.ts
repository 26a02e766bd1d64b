export interface Config {
  scaffolder?: {
    /** Settings of the payments scaffolder actions (@internal/scaffolder-backend-module-payments). */
    payments?: {
      /** `payments:publish:local`, the embedded default's publisher (production publishes to GitHub). */
      localPublish?: {
        /**
         * Whether `payments:publish:local` may run (default true). Set false where templates
         * publish to GitHub; the action then fails and says so.
         */
        enabled?: boolean;
        /**
         * Folder the new git repositories are created in, one folder per repository, relative to
         * the backend's working directory (packages/backend). Default ../../.data/golden-path-repos.
         */
        directory?: string;
      };
      /** Where new repositories go when local publishing is off (payments:publish:target). */
      github?: {
        /** The GitHub organisation of new repositories, e.g. payments-example. */
        owner?: string;
      };
    };
  };
}
