/**
 * Wording of the #MacronLeaks scenario. Invented texts shaped on the published accounts of the
 * evening (a document dump hours before the campaign blackout, amplified mostly in English);
 * links point to example domains.
 */
export const MACRONLEAKS_PINNED_TAGS: readonly string[] = [
  'Macron', 'Presidentielle2017', 'France', 'LePen', 'Marine2017', 'EnMarche', 'FrenchElection', 'Elysee2017', 'JeVoteMacron',
  'France2017', 'Paris', 'Debat2017', 'Politique', 'Vote', 'MarineLePen', 'EmmanuelMacron',
];

export const MACRONLEAKS_FIRST_POST =
  'Massive leak of Macron campaign documents just dropped: gigabytes of emails, contracts and accounting files. Mirror below';

/** Opening sentences of organic posts about the leak, by language. */
export const MACRONLEAKS_ORGANIC: Readonly<Record<'en' | 'fr', readonly string[]>> = {
  en: [
    'Massive leak of Macron campaign emails right before the vote.',
    'So the Macron campaign got hacked hours before the blackout.',
    'Thousands of documents dumped online tonight.',
    'Why is nobody in the French media talking about this?',
    'French journalists can not report on it because of the election blackout.',
    'Looks like a disinformation operation to me.',
    'Do not share unverified documents, people.',
    'Feels like a replay of the DNC leak.',
    'Careful, some of these files look fabricated.',
    'The timing is not a coincidence.',
    'Reading through the dump now.',
    'Americans trending a French hashtag, interesting.',
    'Anyone verified a single one of these emails?',
    'The campaign says real documents were mixed with fakes.',
  ],
  fr: [
    'Les mails de l\u2019équipe Macron fuitent à quelques heures du silence électoral.',
    'La commission électorale demande de ne pas relayer ces documents.',
    'Encore une tentative de déstabilisation de l\u2019élection.',
    'Des milliers de documents publiés, dont des faux selon En Marche.',
    'Pourquoi les médias n\u2019en parlent pas ?',
    'Ne partagez pas ces documents pendant la période de réserve.',
    'C\u2019est une opération de désinformation, clairement.',
    'Qui est derrière cette fuite ?',
    'Bizarre que ce soit surtout des comptes américains qui relaient.',
    'On verra dimanche si ça change quelque chose.',
    'Fuite massive ou gros pétard mouillé ?',
  ],
};

/** Source posts the repost ring amplifies (English, as most top posts were). */
export const MACRONLEAKS_RING_SEEDS: readonly string[] = [
  'BREAKING: {n}GB of Macron campaign emails leaked. French media under a gag order until Sunday.',
  'The Macron campaign files are out. Offshore accounts, secret donors, all of it. Read before it is scrubbed.',
  'French press is legally barred from reporting on this. It is up to us to spread it.',
  'Macron team confirms the hack. Now they claim the documents are fake. Sure.',
  'Here is a searchable mirror of the leaked Macron emails. Share it everywhere.',
  'Mainstream media silent on the biggest leak of the French election. Why?',
  'New batch of Macron documents released tonight, {n} thousand files.',
];

/** Copy-pasta templates of the young bot accounts (English and French). */
export const MACRONLEAKS_COPYPASTA: readonly { lang: 'en' | 'fr'; text: string }[] = [
  { lang: 'en', text: 'Macron campaign documents leaked: emails, contracts and money transfers. Download before it is taken down' },
  { lang: 'en', text: 'The French media will not tell you about the Macron leaks. Spread the word before Sunday' },
  { lang: 'fr', text: 'Les documents internes de la campagne Macron enfin révélés. Partagez avant la censure' },
];

/** Texts the hyperactive accounts rotate through. */
export const MACRONLEAKS_PUSH: readonly string[] = [
  'Read the Macron leaks before they disappear',
  'Macron leak: the emails they do not want you to read',
  'Share the Macron files, the media will not',
  'Leaked: Macron campaign accounting',
  'Macron leaks mirror updated',
  'Do not let the press bury the Macron leaks',
];
