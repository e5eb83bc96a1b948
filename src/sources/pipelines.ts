/**
 * The YAML files of other tools that name images (SPEC §4, the rows from GitLab CI to Cloud
 * Build): which file each is by its path, the words it must contain to name any image (a cheap
 * test before parsing; a superset, never a miss), and the module that reads it. A file one of
 * these claims is read only as that, never as a Kubernetes or compose file.
 */
import { azurePipelinesImages, isAzurePipelinesPath } from "./azure-pipelines.js";
import { bitbucketPipelinesImages, isBitbucketPipelinesPath } from "./bitbucket-pipelines.js";
import { circleciImages, isCircleciPath } from "./circleci.js";
import { cloudbuildImages, isCloudbuildPath } from "./cloudbuild.js";
import { droneImages, isDronePath, isWoodpeckerPath } from "./drone.js";
import { gitlabCiImages, isGitlabCiPath } from "./gitlab-ci.js";
import type { ImageAt, SideFiles } from "./image-keys.js";
import { isKoPath, koImages } from "./ko.js";
import type { SourceKind } from "./types.js";
import type { YamlDocument } from "./yaml.js";

/** Which policy key turns a kind off (`ci: ignore`); `undefined` for kinds always read. */
export type SourceFamily = "ci" | undefined;

export interface PipelineKind {
  source: SourceKind;
  family: SourceFamily;
  matches(path: string): boolean;
  /** A file without a match names no image of this kind. */
  words: RegExp;
  images(doc: YamlDocument, file: string, side: SideFiles): ImageAt[];
}

const data =
  (read: (data: unknown) => ImageAt[]) =>
  (doc: YamlDocument): ImageAt[] =>
    read(doc.data);

export const PIPELINE_KINDS: readonly PipelineKind[] = [
  {
    source: "gitlab-ci",
    family: "ci",
    matches: isGitlabCiPath,
    words: /image|services|include|extends/,
    images: gitlabCiImages,
  },
  { source: "circleci", family: "ci", matches: isCircleciPath, words: /image/, images: data(circleciImages) },
  {
    source: "azure-pipelines",
    family: "ci",
    matches: isAzurePipelinesPath,
    words: /container/,
    images: data(azurePipelinesImages),
  },
  {
    source: "bitbucket-pipelines",
    family: "ci",
    matches: isBitbucketPipelinesPath,
    words: /image/,
    images: data(bitbucketPipelinesImages),
  },
  { source: "drone", family: "ci", matches: isDronePath, words: /image/, images: data(droneImages) },
  {
    source: "woodpecker",
    family: "ci",
    matches: isWoodpeckerPath,
    words: /image/,
    images: data(droneImages),
  },
  {
    source: "cloudbuild",
    family: undefined,
    matches: isCloudbuildPath,
    words: /name/,
    images: cloudbuildImages,
  },
  { source: "ko", family: undefined, matches: isKoPath, words: /BaseImage/, images: data(koImages) },
];

export function pipelineKindOf(path: string): PipelineKind | undefined {
  return PIPELINE_KINDS.find((kind) => kind.matches(path));
}
