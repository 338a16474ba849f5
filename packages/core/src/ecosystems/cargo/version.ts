// crates.io's version order: SemVer 2.0.0 precedence (Cargo's semver crate), parsed leniently so that
// a hand-written `1.0` in an advisory still orders; RustSec opens ranges at `0.0.0-0`.
import { createSemverScheme, parseLenientSemver } from '../semver-scheme.js';

/** The parsed version, or null when it is not a version Cargo can order. */
export const parseCargoVersion = parseLenientSemver;

export const cargoVersionScheme = createSemverScheme('cargo-semver');
