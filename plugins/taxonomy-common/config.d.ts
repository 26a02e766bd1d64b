export interface Config {
  taxonomy: {
    /** Path of the tagging taxonomy file (relative to the backend's working directory), e.g. ../../taxonomy.yaml */
    file: string;
  };
}
