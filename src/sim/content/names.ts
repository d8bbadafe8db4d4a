/** Parts of account handles. Bots of one batch share a style (name + long digit run), as in the wild. */
export const FIRST_NAMES: readonly string[] = [
  'marie', 'lucas', 'emma', 'noah', 'chloe', 'hugo', 'lea', 'louis', 'sofia', 'mateo', 'valentina', 'diego', 'ana', 'joao',
  'julia', 'lukas', 'mia', 'finn', 'giulia', 'marco', 'yuki', 'haruto', 'sakura', 'omar', 'fatima', 'ahmed', 'layla',
  'ivan', 'olga', 'dmitri', 'elif', 'emre', 'minji', 'jisoo', 'james', 'olivia', 'liam', 'ava', 'ethan', 'grace', 'jack',
  'amelia', 'sam', 'alex', 'jordan', 'taylor', 'casey', 'riley', 'priya', 'arjun', 'wei', 'mei', 'kofi', 'amara', 'zoe',
];

export const LAST_NAMES: readonly string[] = [
  'martin', 'bernard', 'dubois', 'garcia', 'lopez', 'silva', 'santos', 'muller', 'schmidt', 'rossi', 'russo', 'tanaka',
  'suzuki', 'sato', 'hassan', 'ali', 'ivanov', 'petrova', 'yilmaz', 'kaya', 'kim', 'lee', 'park', 'smith', 'jones', 'brown',
  'wilson', 'taylor', 'walker', 'patel', 'singh', 'chen', 'wang', 'mensah', 'okafor', 'nguyen', 'moreau', 'fournier',
];

export const HANDLE_WORDS: readonly string[] = [
  'sunny', 'quiet', 'urban', 'wild', 'lazy', 'cosmic', 'little', 'big', 'happy', 'grumpy', 'night', 'morning', 'coffee',
  'pixel', 'river', 'forest', 'ocean', 'mountain', 'city', 'retro', 'neon', 'velvet', 'paper', 'stone', 'silver', 'golden',
  'fox', 'owl', 'wolf', 'cat', 'bear', 'bird', 'otter', 'panda', 'tiger', 'raven', 'moth', 'bee', 'fern', 'moss', 'cloud',
  'rain', 'storm', 'ember', 'echo', 'nomad', 'wanderer', 'reader', 'writer', 'coder', 'runner', 'baker', 'maker', 'dreamer',
];

/** Handle stems of young bot batches: a theme word plus a name, then a long digit run. */
export const BOT_HANDLE_STEMS: readonly string[] = [
  'patriot', 'truth', 'freedom', 'real', 'citizen', 'awake', 'voice', 'nation', 'proud', 'free', 'honest', 'news', 'info',
  'daily', 'watch', 'people', 'liberty', 'justice',
];
