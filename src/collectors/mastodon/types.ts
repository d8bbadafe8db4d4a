/** Plain text of a status's HTML content. */
export interface HtmlText {
  text: string;
  /** Targets of links that are neither mentions nor hashtags, in order, unique. */
  links: string[];
}

/** What mapping a status needs beyond the status itself. */
export interface StatusContext {
  /** Host of the instance the status was received from (for local accounts' handles). */
  instanceHost: string;
  /** Federated uri of the status it replies to, when known (reply ids are per instance). */
  parentUri?: string | undefined;
  /** Federated uri of the quoted status when only its per-instance id was given. */
  quotedUri?: string | undefined;
}
