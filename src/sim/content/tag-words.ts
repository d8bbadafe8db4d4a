/**
 * Building blocks of the organic tag vocabulary: single-word tags in many languages and scripts
 * (accents, Cyrillic, Arabic, CJK, Hangul, Turkish dotted İ, German ß) and CamelCase compounds.
 * The vocabulary is shuffled by the seed before Zipf ranks are assigned.
 */
export const SINGLE_TAGS: readonly string[] = [
  'News', 'Music', 'Football', 'Travel', 'Photography', 'Art', 'Gaming', 'Science', 'Tech', 'Crypto', 'Bitcoin', 'AI', 'Climate',
  'Food', 'Fitness', 'Yoga', 'Cats', 'Dogs', 'Books', 'Movies', 'Anime', 'Fashion', 'Design', 'Startup', 'Marketing', 'Health',
  'Politics', 'Economy', 'Election', 'Weather', 'Nature', 'Space', 'NASA', 'Cooking', 'Coffee', 'Wine', 'Running', 'Cycling',
  'Tennis', 'Basketball', 'Baseball', 'Cricket', 'Rugby', 'F1', 'NBA', 'NFL', 'MLB', 'Podcast', 'Vinyl', 'Jazz', 'HipHop', 'KPop',
  'Netflix', 'Sunset', 'Monday', 'Friday', 'Weekend', 'Motivation', 'Quotes', 'Poetry', 'History', 'Education', 'Teachers',
  'Parenting', 'Garden', 'Gardening', 'Hiking', 'Camping', 'Beach', 'Snow', 'Rain', 'Heatwave', 'Storm', 'Flood', 'Traffic',
  'Café', 'Été', 'Rentrée', 'Fútbol', 'Música', 'Política', 'Economía', 'Educação', 'Saúde', 'Brasil', 'España', 'México',
  'Argentina', 'Colombia', 'Chile', 'Perú', 'France', 'Paris', 'Lyon', 'Marseille', 'Québec', 'Montréal', 'Berlin', 'München',
  'Straße', 'Fußball', 'Köln', 'Zürich', 'Wien', 'Roma', 'Milano', 'Napoli', 'Calcio', 'Lisboa', 'Porto', 'London', 'Manchester',
  'Dublin', 'NewYork', 'Chicago', 'Toronto', 'Sydney', 'Tokyo', 'Osaka', 'Seoul', 'Istanbul', 'İzmir', 'Ankara', 'Kraków',
  'Łódź', 'Praha', 'Göteborg', 'Malmö', 'Øresund', 'Reykjavík', 'Αθήνα', 'Ελλάδα', 'Москва', 'Россия', 'Киев', 'Україна',
  'مصر', 'السعودية', 'رمضان', 'كرة_القدم', 'عاجل', 'دبي', 'תל_אביב', 'भारत', 'क्रिकेट', 'बॉलीवुड', '東京', '大阪', 'アニメ',
  '猫', 'ラーメン', '拡散希望', '地震', '雨', '桜', '北京', '上海', '香港', '台灣', '서울', '부산', '케이팝', '야구', '축구',
  'ไทย', 'กรุงเทพ', 'Việt_Nam', 'HàNội', 'Jakarta', 'Manila', 'Lagos', 'Nairobi', 'Accra', 'Johannesburg', 'Cairo',
];

export const COMPOUND_HEADS: readonly string[] = [
  'Climate', 'Music', 'Football', 'Tech', 'Book', 'Movie', 'Game', 'Food', 'Travel', 'Art', 'Photo', 'Science', 'Health',
  'Green', 'Urban', 'Night', 'Summer', 'Winter', 'Spring', 'Autumn', 'City', 'Street', 'Vegan', 'Coffee', 'Cat', 'Dog',
  'Space', 'Ocean', 'Mountain', 'Indie', 'Retro', 'Pixel', 'Data', 'Cloud', 'Open', 'Local', 'Small', 'Women', 'Kids',
  'Student', 'Nurse', 'Teacher', 'Farmer', 'Chef', 'Runner', 'Dev', 'Design', 'Brand', 'Home', 'Garden', 'Plant', 'Bike',
  'Rail', 'Tiny', 'Slow', 'Fast', 'Smart', 'Future', 'Black', 'Gold', 'Jazz', 'Poetry', 'Horror', 'Comic', 'Board', 'Chess',
  'Surf', 'Ski', 'Yoga', 'Wine', 'Beer', 'Tea', 'Bread', 'Pizza', 'Taco', 'Sushi', 'Ramen', 'Solar', 'Wind', 'Water', 'Forest',
  'Bird', 'Bee', 'Wild', 'Crypto', 'Quantum',
];

export const COMPOUND_TAILS: readonly string[] = [
  'Life', 'Lovers', 'News', 'Week', 'Day', 'Talk', 'Chat', 'Goals', 'Vibes', 'Art', 'Club', 'Fest', 'Tips', 'Hacks', 'Matters',
  'Action', 'Crisis', 'Watch', 'Live', 'Time', 'World', 'Nation', 'Twitter', 'Community', 'Challenge', 'Season', 'Awards',
  'Diaries', 'Stories', 'Moments', 'Friday', 'Sunday', 'Jobs', 'Summit', 'Market', 'Culture', 'Power', 'Pride', 'Map', 'Lab',
  'Nerd', 'Geek', 'Fans', 'Life2024', 'Party', 'Scene', 'Zone', 'Hub', 'Camp', 'School', 'Story', 'Month', 'Tour', 'Quest',
  'Wave', 'Love', 'Squad', 'Crew', 'Space', 'Corner',
];

/** Building blocks of fresh tags: a campaign's or a news story's tag that no one used before. */
export const FRESH_TAG_PATTERNS: readonly ((a: string, b: string, n: number) => string)[] = [
  (a) => `${a}Leaks`,
  (a) => `${a}Gate`,
  (a) => `Stop${a}`,
  (a) => `Boycott${a}`,
  (a, _b, n) => `${a}Scandal${n}`,
  (a, b) => `${a}${b}Truth`,
  (a) => `Justice4${a}`,
  (a) => `WakeUp${a}`,
  (_a, b) => `${b}Exposed`,
  (a, b) => `No${a}${b}`,
  (a) => `${a}Files`,
  (a, _b, n) => `Resign${a}${n}`,
];

export const FRESH_TAG_WORDS: readonly string[] = [
  'Valmont', 'Orrin', 'Kestrel', 'Brightwater', 'Halvard', 'Nexora', 'Corvane', 'Meridia', 'Talbrook', 'Quenby', 'Ardent',
  'Solvane', 'Pellham', 'Drystan', 'Veyra', 'Caldor', 'Lumora', 'Oberon', 'Tessaly', 'Marrow', 'Fenwick', 'Rivenna', 'Astrel',
  'Doveridge', 'Harlan', 'Ystrad', 'Zephyra', 'Brannock', 'Calloway', 'Vireo',
];

/** Places for breaking news tags (`#EarthquakeKestrel`): fictional, so no real event is implied. */
export const NEWS_EVENTS: readonly string[] = ['Earthquake', 'Blackout', 'Flood', 'Wildfire', 'Explosion', 'Landslide', 'Derailment', 'Storm', 'Eruption', 'Outage'];

/** Scheduled events for live-event tags. */
export const LIVE_EVENTS: readonly string[] = ['CupFinal', 'AwardsNight', 'SongContest', 'Keynote', 'GrandPrix', 'DebateNight', 'SeasonFinale', 'Championship', 'Launch', 'Derby'];
