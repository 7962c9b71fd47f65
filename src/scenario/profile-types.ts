// What a broker profile is: a real system's delivery defaults, each with where it comes from (profiles.ts holds them).

/** One default of a profile. */
export interface ProfileSetting {
  /** The acksim field, dotted: `broker.visibilityTimeoutMs`. */
  path: string;
  value: unknown;
  /** The real system's setting and its documented default, in its own terms. */
  knob: string;
  /** Where the value comes from. */
  source: string;
}

/** A real broker's delivery defaults. */
export interface Profile {
  name: string;
  system: string;
  /** The version whose documentation the values come from. */
  version: string;
  settings: ProfileSetting[];
  /** What acksim does not model of it, or models differently. */
  notes: string;
}
