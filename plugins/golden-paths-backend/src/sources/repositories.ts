import type { UrlReaderService } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  type Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { type FileTree, LocalRepository } from '@internal/golden-paths-node';
import {
  GITHUB_SLUG_ANNOTATION,
  githubSlugOf,
} from '@internal/golden-paths-common';
import type { Clock } from '@internal/platform-node';
import path from 'node:path';

/** Where a service's code lives, and so how a change to it is proposed. */
export type ServiceRepository =
  | {
      target: 'local';
      /** The repository's folder inside the local publish directory. */
      dir: string;
      repo: LocalRepository;
    }
  | { target: 'github'; slug: string };

/** A service's files on its default branch, and (local) the commit they are at. */
export interface RepositoryContents {
  tree: FileTree;
  head?: string;
}

const CATALOG_INFO = 'catalog-info.yaml';

/**
 * Finds a service's repository from its catalog entity, and reads it: a local repository
 * (registered as `file:<dir>/catalog-info.yaml` inside the local publish directory, the embedded
 * default), or a GitHub repository (`github.com/project-slug`, production) read through the
 * UrlReader with the backend's GitHub integration.
 */
export class ServiceRepositories {
  constructor(
    private readonly options: {
      /** Absolute path of `scaffolder.payments.localPublish.directory`. */
      localDirectory: string;
      urlReader: UrlReaderService;
      /** Commit times of the branches written (the backend's clock). */
      clock: Clock;
    },
  ) {}

  /** The repository of `entity`; InputError saying why a service cannot be changed otherwise. */
  locate(entity: Entity): ServiceRepository {
    const annotations = entity.metadata.annotations ?? {};
    const location =
      annotations[ANNOTATION_LOCATION] ??
      annotations[ANNOTATION_ORIGIN_LOCATION];
    const local = location ? this.localDirOf(location) : undefined;
    if (local) {
      return {
        target: 'local',
        dir: local,
        repo: new LocalRepository(local, { clock: this.options.clock }),
      };
    }
    let github;
    try {
      github = githubSlugOf(annotations);
    } catch (error) {
      throw new InputError(
        `${stringifyEntityRef(entity)} cannot be changed: ${
          (error as Error).message
        }`,
      );
    }
    if (github) return { target: 'github', slug: github.slug };
    throw new InputError(
      `${stringifyEntityRef(
        entity,
      )} cannot be changed: it is registered from '${
        location ?? 'nowhere'
      }', which is neither a repository under the local publish directory ${
        this.options.localDirectory
      } (file:<dir>/${CATALOG_INFO}) nor has a ${GITHUB_SLUG_ANNOTATION} annotation for its GitHub repository`,
    );
  }

  /** The files of the repository's default branch (main). */
  async read(repository: ServiceRepository): Promise<RepositoryContents> {
    if (repository.target === 'local') {
      const head = await repository.repo.head('main');
      if (!head) {
        throw new InputError(
          `The repository ${repository.dir} has no main branch to propose a change to`,
        );
      }
      return { tree: await repository.repo.tree(head), head };
    }
    const response = await this.options.urlReader.readTree(
      `https://github.com/${repository.slug}/tree/main`,
    );
    const tree: FileTree = new Map();
    for (const file of await response.files()) {
      tree.set(file.path, await file.content());
    }
    return { tree };
  }

  /** The repository folder when `location` is `file:<dir>/catalog-info.yaml` directly inside the publish directory. */
  private localDirOf(location: string): string | undefined {
    const match = /^file:(.+)$/.exec(location);
    if (!match) return undefined;
    const file = path.resolve(match[1]);
    if (path.basename(file) !== CATALOG_INFO) return undefined;
    const dir = path.dirname(file);
    const relative = path.relative(this.options.localDirectory, dir);
    if (!relative || relative.startsWith('..') || path.isAbsolute(relative))
      return undefined;
    if (relative.includes(path.sep)) return undefined;
    return dir;
  }
}
