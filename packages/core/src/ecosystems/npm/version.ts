// npm's version order: SemVer 2.0.0 precedence as node-semver `compare`, parsed leniently.
import { createSemverScheme, parseLenientSemver } from '../semver-scheme.js';

/** The parsed version, or null when it is not a version npm can order. */
export const parseNpmVersion = parseLenientSemver;

export const npmVersionScheme = createSemverScheme('npm-semver');
