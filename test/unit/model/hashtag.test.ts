import { describe, expect, it } from 'vitest';
import { extractTags, normalizeTag, resolveTags } from '../../../src/model/index.ts';

const tags = (text: string): string[] => extractTags(text).map((t) => t.tag);

describe('normalizeTag', () => {
  it.each([
    ['#MacronLeaks', 'macronleaks', 'MacronLeaks'],
    ['MacronLeaks', 'macronleaks', 'MacronLeaks'],
    ['＃ＭａｃｒｏｎＬｅａｋｓ', 'macronleaks', 'MacronLeaks'],
    ['#İstanbul', 'istanbul', 'İstanbul'],
    ['#ISTANBUL', 'istanbul', 'ISTANBUL'],
    ['#Straße', 'strasse', 'Straße'],
    ['#STRASSE', 'strasse', 'STRASSE'],
    ['#Ελλάδα', 'ελλάδα', 'Ελλάδα'],
    ['#présidentielle2017', 'présidentielle2017', 'présidentielle2017'],
    ['#東京', '東京', '東京'],
    ['#hello_world', 'hello_world', 'hello_world'],
    ['#١٢٣abc', '١٢٣abc', '١٢٣abc'],
  ])('%s → %s', (raw, tag, display) => {
    expect(normalizeTag(raw)).toEqual({ tag, display });
  });

  it.each([['#2017'], ['#'], [''], ['#foo bar'], ['#🔥'], ['#foo-bar'], ['#\u0301abc'], [`#a${'b'.repeat(139)}`]])('rejects %j', (raw) => {
    expect(normalizeTag(raw)).toBeNull();
  });

  it('composes decomposed accents (NFKC) so both spellings are one tag', () => {
    expect(normalizeTag('#cafe\u0301')?.tag).toBe(normalizeTag('#café')?.tag);
  });
});

describe('extractTags', () => {
  it.each([
    ['Leak is out #MacronLeaks!', ['macronleaks']],
    ['#A, #b. #c? #d… (#e)', ['a', 'b', 'c', 'd', 'e']],
    ['emoji after #macron🔥 and before 🔥#lepen', ['macron', 'lepen']],
    ['see https://example.com/page#section and www.x.org/#frag', []],
    ['mail me a#b or x&#39;s', []],
    ['#foo#bar', ['foo']],
    ['full width ＃ＦＲＡＮＣＥ here', ['france']],
    ['digits #2017 and #2017elections', ['2017elections']],
    ['repeat #Tag #TAG #tag', ['tag']],
    ['keycap #️⃣ is not a tag', []],
    ['Turkish #İzmir and #izmir', ['izmir']],
    ['line\n#start of line', ['start']],
    ['', []],
  ])('%j', (text, expected) => {
    expect(tags(text)).toEqual(expected);
  });

  it('keeps the first spelling as display form', () => {
    expect(extractTags('#MacronLeaks then #macronleaks')).toEqual([{ tag: 'macronleaks', display: 'MacronLeaks' }]);
  });
});

describe('resolveTags', () => {
  it('prefers the explicit list, normalized and deduplicated', () => {
    expect(resolveTags('text #ignored', ['#A', 'a', 'B', '123', 'bad tag'])).toEqual([
      { tag: 'a', display: 'A' },
      { tag: 'b', display: 'B' },
    ]);
  });

  it('extracts from the text when no list is given', () => {
    expect(resolveTags('x #One #two', undefined).map((t) => t.tag)).toEqual(['one', 'two']);
  });
});
