/** A tree of files: POSIX path relative to the tree's root (no leading ./ or /) -> content. */
export type FileTree = Map<string, Buffer>;
