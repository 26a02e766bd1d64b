/** The longest a waiver may run: a year, so every waiver is looked at again at least yearly. */
export const MAX_WAIVER_DAYS = 365;
/** Bounds of a waiver's reason, checked by the backend and shown by the waiver form. */
export const MIN_WAIVER_REASON_LENGTH = 10;
export const MAX_WAIVER_REASON_LENGTH = 2000;
