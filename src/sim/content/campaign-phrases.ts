/**
 * Message skeletons of coordinated campaigns: each slot lists interchangeable wordings. A
 * copy-pasta campaign fixes one wording per slot and copies it with small edits; a paraphrase
 * network picks a wording per slot for every post (shared skeleton, synonym swaps). `{X}` is
 * replaced by the campaign's subject.
 */
export interface CampaignPhraseBook {
  slots: readonly (readonly string[])[];
  /** Words inserted by copy edits ("really", "!!"). */
  fillers: readonly string[];
}

export const CAMPAIGN_PHRASES: Readonly<Record<'en' | 'fr' | 'es', CampaignPhraseBook>> = {
  en: {
    slots: [
      ['BREAKING:', 'Wake up!', 'Must read:', 'They do not want you to see this:', 'Share before it gets deleted:', 'Urgent:', 'Look at this:'],
      ['{X} officials', 'the {X} board', '{X} insiders', 'the people running {X}', '{X} and its friends', 'the {X} crowd'],
      ['are hiding', 'covered up', 'lied about', 'quietly buried', 'kept silent about', 'deleted all evidence of', 'never told you about'],
      ['the real numbers', 'what happened last week', 'the secret payments', 'the internal documents', 'the leaked emails', 'the deal with foreign donors', 'the missing funds'],
      ['The media will not report it.', 'No journalist will touch this.', 'Mainstream outlets stay silent.', 'Not a word on TV.', 'The press is complicit.', 'Fact checkers are nowhere.'],
      ['Retweet if you agree!', 'Spread the word.', 'Share everywhere.', 'Do not let them bury this.', 'Make it trend!', 'Everyone needs to see this.'],
    ],
    fillers: ['really', 'now', '!!', 'folks', 'seriously', 'again', 'ALL', 'truly', '...'],
  },
  fr: {
    slots: [
      ['URGENT :', 'Réveillez-vous !', 'À lire absolument :', 'Ils ne veulent pas que vous voyiez ça :', 'Partagez avant la censure :', 'Regardez ça :'],
      ['les dirigeants de {X}', 'le conseil de {X}', 'des proches de {X}', 'les gens derrière {X}', '{X} et ses amis'],
      ['cachent', 'ont étouffé', 'ont menti sur', 'ont enterré', 'taisent', 'ont effacé les preuves de'],
      ['les vrais chiffres', 'ce qui s\u2019est passé la semaine dernière', 'les paiements secrets', 'les documents internes', 'les mails fuités', 'l\u2019accord avec des donateurs étrangers'],
      ['Les médias n\u2019en parleront pas.', 'Aucun journaliste n\u2019y touchera.', 'Silence total à la télé.', 'La presse est complice.'],
      ['Partagez si vous êtes d\u2019accord !', 'Faites tourner.', 'Partagez partout.', 'Ne les laissez pas enterrer ça.', 'Faisons-le monter en TT !'],
    ],
    fillers: ['vraiment', 'maintenant', '!!', 'les amis', 'sérieusement', 'encore', 'TOUS', '...'],
  },
  es: {
    slots: [
      ['ÚLTIMA HORA:', '¡Despierten!', 'Lectura obligatoria:', 'No quieren que veas esto:', 'Compartan antes de que lo borren:', 'Miren esto:'],
      ['los directivos de {X}', 'la junta de {X}', 'gente cercana a {X}', 'los que manejan {X}', '{X} y sus amigos'],
      ['esconden', 'encubrieron', 'mintieron sobre', 'enterraron', 'callan', 'borraron las pruebas de'],
      ['las cifras reales', 'lo que pasó la semana pasada', 'los pagos secretos', 'los documentos internos', 'los correos filtrados', 'el acuerdo con donantes extranjeros'],
      ['Los medios no lo van a contar.', 'Ningún periodista lo tocará.', 'Silencio total en la tele.', 'La prensa es cómplice.'],
      ['¡Comparte si estás de acuerdo!', 'Difúndelo.', 'Compártelo en todas partes.', 'No dejes que lo entierren.', '¡Hagámoslo tendencia!'],
    ],
    fillers: ['de verdad', 'ya', '!!', 'amigos', 'en serio', 'otra vez', 'TODOS', '...'],
  },
};
