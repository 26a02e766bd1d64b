/** MAJOR.MINOR.PATCH, the form templateVersion takes (no pre-releases: a template version is released or not). */
const VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export function isTemplateVersion(value: string): boolean {
  return VERSION.test(value);
}

/** Negative when a is older than b, positive when newer, 0 when equal (semver precedence). */
export function compareVersions(a: string, b: string): number {
  const pa = a.match(VERSION);
  const pb = b.match(VERSION);
  if (!pa || !pb) {
    throw new Error(
      `cannot compare template versions '${a}' and '${b}': templateVersion must be MAJOR.MINOR.PATCH, e.g. '1.2.0'`,
    );
  }
  for (let i = 1; i <= 3; i++) {
    const difference = Number(pa[i]) - Number(pb[i]);
    if (difference !== 0) return difference;
  }
  return 0;
}
