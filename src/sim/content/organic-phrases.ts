import type { SimLanguage } from '../options.ts';

/**
 * Sentence parts for organic posts. A post joins one to three sentences, each a random opener,
 * subject, predicate and closer; with a few dozen parts per slot two organic posts rarely share
 * more than a word or two, so they are never near-duplicates of each other.
 */
export interface PhraseBook {
  openers: readonly string[];
  subjects: readonly string[];
  predicates: readonly string[];
  closers: readonly string[];
  /** Short reactions used by replies and quotes. */
  reactions: readonly string[];
}

const en: PhraseBook = {
  openers: ['', '', '', 'Honestly,', 'Okay so', 'Just saw that', 'Not gonna lie,', 'Update:', 'Reminder:', 'Wow,', 'Lol', 'Hot take:', 'Thread:', 'Fun fact:', 'Breaking my silence:', 'Quick thought:', 'Morning!', 'Weird day.', 'So apparently', 'Unpopular opinion:'],
  subjects: ['the new bakery downtown', 'my neighbour', 'this season', 'the city council', 'our team', 'the bus to work', 'my cat', 'the coffee here', 'that documentary', 'the weather', 'my kid', 'the latest update', 'this album', 'the traffic on the bridge', 'our local library', 'the night shift', 'my garden', 'this podcast', 'the match last night', 'the quarterly report', 'my phone battery', 'the farmers market', 'that new show', 'the school board', 'our landlord', 'the train strike', 'this recipe', 'my running club', 'the museum', 'the price of rent', 'the referee', 'my grandmother', 'the server outage', 'the concert', 'my sourdough starter', 'the election debate', 'this heatwave', 'the new bike lane', 'our startup', 'the playoffs'],
  predicates: ['is honestly better than expected', 'keeps surprising me', 'needs to be talked about more', 'made my whole week', 'was a total mess', 'is trending for a reason', 'deserves more credit', 'just changed everything', 'broke my heart a little', 'is overrated and I will die on this hill', 'finally got fixed', 'looks nothing like the trailer', 'ruined my plans again', 'is the best thing this year', 'will not stop raining on', 'cost twice what it should', 'got delayed for the third time', 'went viral overnight', 'taught me something today', 'is somehow still going', 'had the whole room laughing', 'is why I stay offline on weekends', 'is exactly what we needed', 'made no sense at all', 'turned out to be a disaster', 'gave me hope', 'is getting out of hand', 'is worth every minute', 'sold out in an hour', 'left everyone speechless'],
  closers: ['', '', '', '', 'Thoughts?', 'Anyone else?', 'Just saying.', 'Can confirm.', 'Wild.', 'No regrets.', 'Send help.', 'Ask me anything.', 'More soon.', 'Worth it.', 'Unbelievable.', 'Change my mind.', 'What a time.', 'Stay safe out there.', 'Grateful.', 'Not again.'],
  reactions: ['This!', 'So true', 'I disagree, respectfully', 'Source?', 'Exactly what I was thinking', 'Came here to say this', 'Interesting take', 'Not sure about that', 'Love this', 'Ha, same', 'Big if true', 'Wait, really?', 'Thanks for sharing', 'Could not agree more', 'This aged well', 'Please elaborate', 'Underrated comment', 'Facts'],
};

const es: PhraseBook = {
  openers: ['', '', '', 'La verdad,', 'Ojo:', 'Acabo de ver que', 'Sinceramente,', 'Ayer', 'Buenos días.', 'Qué locura,', 'Opinión impopular:', 'Aviso:', 'Hilo:'],
  subjects: ['el nuevo metro', 'mi vecina', 'el partido de anoche', 'la panadería de la esquina', 'el ayuntamiento', 'mi gato', 'este calor', 'la serie nueva', 'el precio del alquiler', 'el concierto', 'mi abuela', 'la huelga de trenes', 'el mercado del barrio', 'esta canción', 'el árbitro', 'la biblioteca', 'el café de aquí', 'mi equipo', 'la reunión de hoy', 'el documental'],
  predicates: ['está mejor de lo que esperaba', 'me alegró el día', 'fue un desastre total', 'merece más atención', 'no tiene sentido', 'se hizo viral en una noche', 'me rompió el corazón', 'sigue sin arreglarse', 'cuesta el doble que antes', 'me dejó sin palabras', 'es lo mejor del año', 'llegó tarde otra vez', 'nos hizo reír a todos', 'vale cada minuto', 'está fuera de control'],
  closers: ['', '', '', '¿Opiniones?', '¿Alguien más?', 'Lo dejo aquí.', 'Increíble.', 'Sin más.', 'Qué tiempos.', 'Ánimo a todos.'],
  reactions: ['¡Totalmente!', 'No estoy de acuerdo', '¿Fuente?', 'Justo lo que pensaba', 'Me encanta', 'Jajaja igual', 'Gracias por compartir', '¿En serio?', 'Qué buena'],
};

const fr: PhraseBook = {
  openers: ['', '', '', 'Franchement,', 'Bon,', 'Je viens de voir que', 'Sérieusement,', 'Hier soir', 'Bonjour à tous.', 'Incroyable,', 'Avis impopulaire :', 'Rappel :', 'Petit thread :'],
  subjects: ['la nouvelle boulangerie', 'mon voisin', 'le match d\u2019hier', 'la mairie', 'mon chat', 'cette canicule', 'la nouvelle série', 'le prix des loyers', 'le concert', 'ma grand-mère', 'la grève des trains', 'le marché du quartier', 'cette chanson', 'l\u2019arbitre', 'la médiathèque', 'le café du coin', 'mon équipe', 'la réunion de ce matin', 'ce documentaire', 'le périphérique'],
  predicates: ['est mieux que prévu', 'a illuminé ma journée', 'était un vrai fiasco', 'mérite plus d\u2019attention', 'n\u2019a aucun sens', 'a fait le buzz en une nuit', 'm\u2019a brisé le cœur', 'n\u2019est toujours pas réparé', 'coûte le double', 'm\u2019a laissé sans voix', 'est le meilleur de l\u2019année', 'est encore en retard', 'a fait rire toute la salle', 'vaut vraiment le détour', 'part complètement en vrille'],
  closers: ['', '', '', 'Vos avis ?', 'Je dis ça, je dis rien.', 'Incroyable.', 'Bref.', 'Courage à tous.', 'On en reparle.', 'Quelle époque.'],
  reactions: ['Tellement vrai', 'Pas d\u2019accord', 'Source ?', 'Exactement', 'J\u2019adore', 'Mdr pareil', 'Merci pour le partage', 'Sérieux ?', 'Bien vu'],
};

const pt: PhraseBook = {
  openers: ['', '', '', 'Sinceramente,', 'Gente,', 'Acabei de ver que', 'Bom dia.', 'Olha só:', 'Opinião impopular:'],
  subjects: ['a padaria nova', 'meu vizinho', 'o jogo de ontem', 'a prefeitura', 'meu gato', 'esse calor', 'a série nova', 'o preço do aluguel', 'o show', 'minha avó', 'a greve do metrô', 'a feira do bairro', 'essa música', 'o juiz', 'meu time'],
  predicates: ['está melhor do que eu esperava', 'salvou meu dia', 'foi um desastre', 'merece mais atenção', 'não faz sentido', 'viralizou da noite pro dia', 'partiu meu coração', 'continua quebrado', 'custa o dobro', 'me deixou sem palavras', 'é o melhor do ano', 'atrasou de novo'],
  closers: ['', '', '', 'Opiniões?', 'Alguém mais?', 'Enfim.', 'Inacreditável.', 'Que fase.'],
  reactions: ['Verdade', 'Discordo', 'Fonte?', 'Exatamente', 'Amei', 'Kkkk igual', 'Obrigado por compartilhar', 'Sério?'],
};

const de: PhraseBook = {
  openers: ['', '', '', 'Ehrlich gesagt,', 'Also', 'Gerade gesehen:', 'Guten Morgen.', 'Unpopuläre Meinung:', 'Kurzer Gedanke:'],
  subjects: ['die neue Bäckerei', 'mein Nachbar', 'das Spiel gestern', 'der Stadtrat', 'meine Katze', 'diese Hitze', 'die neue Serie', 'die Miete', 'das Konzert', 'meine Oma', 'der Bahnstreik', 'der Wochenmarkt', 'dieser Song', 'der Schiedsrichter', 'unser Verein'],
  predicates: ['ist besser als erwartet', 'hat meinen Tag gerettet', 'war ein totales Chaos', 'verdient mehr Aufmerksamkeit', 'ergibt keinen Sinn', 'ging über Nacht viral', 'hat mir das Herz gebrochen', 'ist immer noch kaputt', 'kostet das Doppelte', 'hat mich sprachlos gemacht', 'ist das Beste des Jahres', 'ist schon wieder zu spät'],
  closers: ['', '', '', 'Meinungen?', 'Noch jemand?', 'Naja.', 'Unglaublich.', 'Was für Zeiten.'],
  reactions: ['Genau so', 'Sehe ich anders', 'Quelle?', 'Exakt', 'Liebe es', 'Haha, same', 'Danke fürs Teilen', 'Echt jetzt?'],
};

const it: PhraseBook = {
  openers: ['', '', '', 'Sinceramente,', 'Allora', 'Ho appena visto che', 'Buongiorno.', 'Opinione impopolare:'],
  subjects: ['il nuovo forno', 'il mio vicino', 'la partita di ieri', 'il comune', 'il mio gatto', 'questo caldo', 'la nuova serie', 'l\u2019affitto', 'il concerto', 'mia nonna', 'lo sciopero dei treni', 'il mercato rionale'],
  predicates: ['è meglio del previsto', 'mi ha svoltato la giornata', 'è stato un disastro', 'merita più attenzione', 'non ha senso', 'è diventato virale in una notte', 'mi ha spezzato il cuore', 'costa il doppio', 'mi ha lasciato senza parole', 'è in ritardo di nuovo'],
  closers: ['', '', '', 'Che ne pensate?', 'Boh.', 'Incredibile.', 'Che tempi.'],
  reactions: ['Verissimo', 'Non sono d\u2019accordo', 'Fonte?', 'Esatto', 'Adoro', 'Ahah uguale', 'Grazie per la condivisione'],
};

const ja: PhraseBook = {
  openers: ['', '', '', 'ところで', 'やっぱり', 'さっき見たけど', 'おはようございます。', '正直', '速報：'],
  subjects: ['駅前の新しいパン屋', '隣の人', '昨日の試合', '市役所', 'うちの猫', 'この暑さ', '新しいドラマ', '家賃', 'ライブ', 'おばあちゃん', '電車の遅延', '近所の市場', 'この曲', '審判'],
  predicates: ['が思ったより良かった', 'のおかげで一日が最高になった', 'は大失敗だった', 'はもっと注目されるべき', 'は意味がわからない', 'が一晩でバズった', 'に泣かされた', 'がまだ直ってない', 'が倍の値段になった', 'に言葉を失った', 'が今年一番'],
  closers: ['', '', '', 'どう思う？', 'まじか。', 'すごい。', '以上です。', '草'],
  reactions: ['それな', '同意できない', 'ソースは？', 'まさにそれ', '好き', 'わかる', '共有ありがとう', 'え、本当？'],
};

const ar: PhraseBook = {
  openers: ['', '', '', 'بصراحة،', 'صباح الخير.', 'شاهدت للتو أن', 'تنبيه:', 'رأي:'],
  subjects: ['المخبز الجديد', 'جاري', 'مباراة الأمس', 'البلدية', 'قطتي', 'هذا الحر', 'المسلسل الجديد', 'الإيجار', 'الحفلة', 'جدتي', 'إضراب القطارات', 'سوق الحي'],
  predicates: ['أفضل مما توقعت', 'أسعد يومي', 'كان فوضى كاملة', 'يستحق اهتماما أكبر', 'لا معنى له', 'انتشر في ليلة واحدة', 'كسر قلبي', 'ما زال معطلا', 'يكلف الضعف', 'تركني بلا كلام'],
  closers: ['', '', '', 'ما رأيكم؟', 'لا تعليق.', 'مذهل.', 'يا لها من أيام.'],
  reactions: ['صحيح تماما', 'لا أوافق', 'المصدر؟', 'بالضبط', 'أحببت هذا', 'شكرا للمشاركة', 'حقا؟'],
};

const ru: PhraseBook = {
  openers: ['', '', '', 'Честно говоря,', 'Итак,', 'Только что увидел, что', 'Доброе утро.', 'Непопулярное мнение:'],
  subjects: ['новая пекарня', 'мой сосед', 'вчерашний матч', 'мэрия', 'мой кот', 'эта жара', 'новый сериал', 'аренда', 'концерт', 'моя бабушка', 'забастовка на железной дороге', 'рынок у дома'],
  predicates: ['лучше, чем я ожидал', 'сделал мой день', 'был полным провалом', 'заслуживает больше внимания', 'не имеет смысла', 'завирусился за ночь', 'разбил мне сердце', 'до сих пор не починили', 'стоит вдвое дороже', 'оставил меня без слов'],
  closers: ['', '', '', 'Что думаете?', 'Вот так.', 'Невероятно.', 'Ну и времена.'],
  reactions: ['Точно', 'Не согласен', 'Источник?', 'Именно', 'Обожаю', 'Спасибо, что поделились', 'Серьёзно?'],
};

const tr: PhraseBook = {
  openers: ['', '', '', 'Açıkçası,', 'Günaydın.', 'Az önce gördüm ki', 'Popüler olmayan görüş:'],
  subjects: ['yeni fırın', 'komşum', 'dünkü maç', 'belediye', 'kedim', 'bu sıcak', 'yeni dizi', 'kira', 'konser', 'babaannem', 'tren grevi', 'semt pazarı'],
  predicates: ['beklediğimden iyi', 'günümü güzelleştirdi', 'tam bir felaketti', 'daha fazla ilgiyi hak ediyor', 'hiç mantıklı değil', 'bir gecede viral oldu', 'kalbimi kırdı', 'hâlâ tamir edilmedi', 'iki katı pahalı', 'beni sessiz bıraktı'],
  closers: ['', '', '', 'Ne düşünüyorsunuz?', 'İnanılmaz.', 'Neyse.', 'Ne günler.'],
  reactions: ['Kesinlikle', 'Katılmıyorum', 'Kaynak?', 'Aynen', 'Bayıldım', 'Paylaştığın için teşekkürler', 'Cidden mi?'],
};

const ko: PhraseBook = {
  openers: ['', '', '', '솔직히', '방금 봤는데', '좋은 아침입니다.', '속보:'],
  subjects: ['새로 생긴 빵집', '옆집 사람', '어제 경기', '시청', '우리 고양이', '이 더위', '새 드라마', '월세', '콘서트', '할머니', '지하철 파업', '동네 시장'],
  predicates: ['생각보다 좋았다', '덕분에 하루가 행복했다', '완전 엉망이었다', '더 주목받아야 한다', '말이 안 된다', '하룻밤 사이에 화제가 됐다', '마음이 아팠다', '아직도 안 고쳐졌다', '두 배나 비싸졌다', '할 말을 잃었다'],
  closers: ['', '', '', '어떻게 생각해요?', '대박.', '헐.', '그렇습니다.'],
  reactions: ['완전 동의', '동의 못 해요', '출처는?', '바로 그거', '좋아요', '공유 감사합니다', '진짜요?'],
};

export const PHRASE_BOOKS: Readonly<Record<SimLanguage, PhraseBook>> = { en, es, fr, pt, de, it, ja, ar, ru, tr, ko };

/** Languages written without spaces between words. */
export const UNSPACED_LANGUAGES: ReadonlySet<SimLanguage> = new Set(['ja']);

export const EMOJI: readonly string[] = ['😂', '🔥', '😍', '🙏', '👀', '💯', '😭', '🤔', '👏', '🎉', '😡', '🚨', '❤️', '✨', '🤯', '😅', '⚽', '🎶', '☕', '🌧️', '📢', '💥', '🙄', '👇'];

export const URL_DOMAINS: readonly string[] = ['news.example.com', 'dailybrief.example.org', 'blog.example.net', 'video.example.com', 'photos.example.net', 'localpaper.example.org', 'shop.example.com', 'forum.example.net'];

/** Openings of posts about breaking news; languages without an entry use plain organic text. */
export const NEWS_LEADS: Readonly<Partial<Record<SimLanguage, readonly string[]>>> = {
  en: ['Just felt it here.', 'Reports coming in:', 'Is everyone okay?', 'Live updates:', 'My family is safe, thank you all.', 'Sirens everywhere right now.', 'Power just went out here.', 'Stay safe everyone.', 'This is scary.', 'Praying for everyone affected.', 'Roads closed near the centre.', 'Emergency services on site.', 'Can anyone confirm?', 'Officials say more info soon.'],
  es: ['Se sintió muy fuerte aquí.', 'Última hora:', '¿Están todos bien?', 'Mucha fuerza a todos.', 'Se fue la luz en mi barrio.', 'Sirenas por todas partes.', '¿Alguien puede confirmar?'],
  fr: ['On l\u2019a senti ici aussi.', 'Dernière minute :', 'Tout le monde va bien ?', 'Courage à tous.', 'Plus d\u2019électricité dans le quartier.', 'Des sirènes partout.', 'Quelqu\u2019un peut confirmer ?'],
  pt: ['Senti aqui também.', 'Urgente:', 'Todo mundo bem?', 'Força a todos.', 'Acabou a luz aqui.', 'Alguém confirma?'],
  de: ['Hier auch gespürt.', 'Eilmeldung:', 'Geht es allen gut?', 'Passt auf euch auf.', 'Strom ist weg bei uns.', 'Kann das jemand bestätigen?'],
};

/** Reactions during a live event. */
export const LIVE_CHEERS: Readonly<Partial<Record<SimLanguage, readonly string[]>>> = {
  en: ['What a moment!', 'Here we go!', 'I can not believe that just happened', 'Best night ever', 'The crowd is insane', 'Noooo', 'Unreal performance', 'Who else is watching?', 'That was robbed', 'Chills'],
  es: ['¡Vamos!', '¡Qué momento!', 'No me lo creo', 'Increíble actuación', '¿Quién más lo está viendo?'],
  fr: ['Allez !', 'Quel moment !', 'Je n\u2019y crois pas', 'Performance incroyable', 'Qui regarde aussi ?'],
  pt: ['Vamos!', 'Que momento!', 'Não acredito', 'Quem mais está assistindo?'],
  de: ['Los geht\u2019s!', 'Was für ein Moment!', 'Unglaublich', 'Wer schaut noch?'],
};
