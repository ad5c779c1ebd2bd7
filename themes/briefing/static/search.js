// Search page of a briefing site. The index (search-index.js, beside the page) names its
// shards (src/search/shards.rs): term shards by the terms' first two letters and document
// shards, each loaded as a script when a query needs it, never with fetch(), so that search
// works from disk (file://) as well as over http. Query words become terms exactly as src/search/analyzer.rs makes them from the
// text: lowercase, Snowball stem (French or English, ported below), accents folded.
(function () {
  'use strict';

  // ---- Terms (must agree with src/search/analyzer.rs; tests/browser checks they do) ----

  var WORD = /[\p{Alphabetic}\p{N}]+/gu;
  var MARKS = /\p{M}/gu;
  var MIN_WORD_CHARS = 2;

  function fold(text) {
    return text.normalize('NFD').replace(MARKS, '').replace(/œ/g, 'oe').replace(/æ/g, 'ae');
  }

  function longEnough(word) {
    return word.length > MIN_WORD_CHARS || Array.from(word).length >= MIN_WORD_CHARS;
  }

  // The longest of `suffixes` that `s` ends with, starting at or after `limit`.
  function longestSuffix(s, suffixes, limit) {
    var best = null;
    for (var i = 0; i < suffixes.length; i++) {
      var suffix = suffixes[i];
      if ((best === null || suffix.length > best.length) && s.length - suffix.length >= limit &&
          s.endsWith(suffix)) {
        best = suffix;
      }
    }
    return best;
  }

  function has(chars, c) {
    return c !== undefined && c !== '' && chars.indexOf(c) >= 0;
  }

  // ---- French Snowball stemmer (snowballstem.org/algorithms/french) ----

  var FR_V = 'aeiouyâàëéêèïîôûù';
  var FR_STANDARD = {
    ance: 1, iqUe: 1, isme: 1, able: 1, iste: 1, eux: 1,
    ances: 1, iqUes: 1, ismes: 1, ables: 1, istes: 1,
    atrice: 2, ateur: 2, ation: 2, atrices: 2, ateurs: 2, ations: 2,
    logie: 3, logies: 3, usion: 4, ution: 4, usions: 4, utions: 4, ence: 5, ences: 5,
    ement: 6, ements: 6, 'ité': 7, 'ités': 7, if: 8, ive: 8, ifs: 8, ives: 8,
    eaux: 9, aux: 10, euse: 11, euses: 11, issement: 12, issements: 12,
    amment: 13, emment: 14, ment: 15, ments: 15
  };
  var FR_STANDARD_KEYS = Object.keys(FR_STANDARD);
  var FR_I_VERB = ['îmes', 'ît', 'îtes', 'i', 'ie', 'ies', 'ir', 'ira', 'irai', 'iraIent',
    'irais', 'irait', 'iras', 'irent', 'irez', 'iriez', 'irions', 'irons', 'iront', 'is',
    'issaIent', 'issais', 'issait', 'issant', 'issante', 'issantes', 'issants', 'isse',
    'issent', 'isses', 'issez', 'issiez', 'issions', 'issons', 'it'];
  var FR_VERB_DELETE = ['é', 'ée', 'ées', 'és', 'èrent', 'er', 'era', 'erai', 'eraIent',
    'erais', 'erait', 'eras', 'erez', 'eriez', 'erions', 'erons', 'eront', 'ez', 'iez'];
  var FR_VERB_A = ['âmes', 'ât', 'âtes', 'a', 'ai', 'aIent', 'ais', 'ait', 'ant', 'ante',
    'antes', 'ants', 'as', 'asse', 'assent', 'asses', 'assiez', 'assions'];
  var FR_VERB = ['ions'].concat(FR_VERB_DELETE, FR_VERB_A);

  function frVowel(c) { return has(FR_V, c); }

  function frPrelude(word) {
    var w = word.split('');
    for (var p = 0; p < w.length; p++) {
      var next = w[p + 1];
      if (frVowel(w[p]) && (next === 'u' || next === 'i') && frVowel(w[p + 2])) {
        w[p + 1] = next.toUpperCase();
      } else if (frVowel(w[p]) && next === 'y') {
        w[p + 1] = 'Y';
      } else if (w[p] === 'y' && frVowel(next)) {
        w[p] = 'Y';
      } else if (w[p] === 'q' && next === 'u') {
        w[p + 1] = 'U';
      }
    }
    return w.join('');
  }

  // Position after the first vowel-then-consonant at or after `from`, or the word's end.
  function pastVowelConsonant(s, from, isVowel) {
    var i = from;
    while (i < s.length && !isVowel(s[i])) i++;
    while (i < s.length && isVowel(s[i])) i++;
    return i < s.length ? i + 1 : s.length;
  }

  function frRegions(s) {
    var pV = s.length;
    if (s.length >= 3 && frVowel(s[0]) && frVowel(s[1])) {
      pV = 3;
    } else if (/^(par|col|tap)/.test(s)) {
      pV = 3;
    } else {
      for (var i = 1; i < s.length; i++) {
        if (frVowel(s[i])) { pV = i + 1; break; }
      }
    }
    var p1 = pastVowelConsonant(s, 0, frVowel);
    var p2 = pastVowelConsonant(s, p1, frVowel);
    return { pV: pV, p1: p1, p2: p2 };
  }

  function Word(s, regions) {
    this.s = s;
    this.pV = regions.pV;
    this.p1 = regions.p1;
    this.p2 = regions.p2;
  }
  Word.prototype.replace = function (at, text) { this.s = this.s.slice(0, at) + text; };
  Word.prototype.ends = function (suffix) { return this.s.endsWith(suffix); };
  Word.prototype.at = function (suffix) { return this.s.length - suffix.length; };
  // `ic` after a removed suffix: removed in R2, else written `iqU`.
  Word.prototype.icToIqu = function () {
    if (!this.ends('ic')) return;
    var at = this.at('ic');
    this.replace(at, at >= this.p2 ? '' : 'iqU');
  };

  // Returns true when a suffix was removed (the verb steps are then skipped).
  function frStandardSuffix(w) {
    var suffix = longestSuffix(w.s, FR_STANDARD_KEYS, 0);
    if (suffix === null) return false;
    var start = w.at(suffix);
    var r1 = start >= w.p1, r2 = start >= w.p2, rv = start >= w.pV;
    switch (FR_STANDARD[suffix]) {
      case 1: if (!r2) return false; w.replace(start, ''); return true;
      case 2:
        if (!r2) return false;
        w.replace(start, '');
        w.icToIqu();
        return true;
      case 3: if (!r2) return false; w.replace(start, 'log'); return true;
      case 4: if (!r2) return false; w.replace(start, 'u'); return true;
      case 5: if (!r2) return false; w.replace(start, 'ent'); return true;
      case 6: if (!rv) return false; w.replace(start, ''); frAfterEment(w); return true;
      case 7: if (!r2) return false; w.replace(start, ''); frAfterIte(w); return true;
      case 8:
        if (!r2) return false;
        w.replace(start, '');
        if (w.ends('at') && w.at('at') >= w.p2) {
          w.replace(w.at('at'), '');
          w.icToIqu();
        }
        return true;
      case 9: w.replace(start, 'eau'); return true;
      case 10: if (!r1) return false; w.replace(start, 'al'); return true;
      case 11:
        if (r2) { w.replace(start, ''); return true; }
        if (r1) { w.replace(start, 'eux'); return true; }
        return false;
      case 12:
        if (!r1 || start < 1 || frVowel(w.s[start - 1])) return false;
        w.replace(start, '');
        return true;
      // The last three change the word, then let the verb steps look at it.
      case 13: if (rv) w.replace(start, 'ant'); return false;
      case 14: if (rv) w.replace(start, 'ent'); return false;
      default:
        if (start >= 1 && frVowel(w.s[start - 1]) && start - 1 >= w.pV) w.replace(start, '');
        return false;
    }
  }

  function frAfterEment(w) {
    var suffix = longestSuffix(w.s, ['iv', 'eus', 'abl', 'iqU', 'ièr', 'Ièr'], 0);
    if (suffix === null) return;
    var at = w.at(suffix);
    if (suffix === 'iv') {
      if (at < w.p2) return;
      w.replace(at, '');
      if (w.ends('at') && w.at('at') >= w.p2) w.replace(w.at('at'), '');
    } else if (suffix === 'eus') {
      if (at >= w.p2) w.replace(at, '');
      else if (at >= w.p1) w.replace(at, 'eux');
    } else if (suffix === 'abl' || suffix === 'iqU') {
      if (at >= w.p2) w.replace(at, '');
    } else if (at >= w.pV) {
      w.replace(at, 'i');
    }
  }

  function frAfterIte(w) {
    var suffix = longestSuffix(w.s, ['abil', 'ic', 'iv'], 0);
    if (suffix === null) return;
    var at = w.at(suffix);
    if (at >= w.p2) w.replace(at, '');
    else if (suffix === 'abil') w.replace(at, 'abl');
    else if (suffix === 'ic') w.replace(at, 'iqU');
  }

  function frIVerbSuffix(w) {
    if (w.s.length < w.pV) return false;
    var suffix = longestSuffix(w.s, FR_I_VERB, w.pV);
    if (suffix === null) return false;
    var start = w.at(suffix);
    if (start - 1 < w.pV || frVowel(w.s[start - 1])) return false;
    w.replace(start, '');
    return true;
  }

  function frVerbSuffix(w) {
    if (w.s.length < w.pV) return false;
    var suffix = longestSuffix(w.s, FR_VERB, w.pV);
    if (suffix === null) return false;
    var start = w.at(suffix);
    if (suffix === 'ions') {
      if (start < w.p2) return false;
      w.replace(start, '');
    } else {
      w.replace(start, '');
      if (FR_VERB_A.indexOf(suffix) >= 0 && w.ends('e') && w.at('e') >= w.pV) {
        w.replace(w.at('e'), '');
      }
    }
    return true;
  }

  function frResidualSuffix(w) {
    var n = w.s.length;
    if (n >= 2 && w.s[n - 1] === 's' && !has('aiouès', w.s[n - 2])) w.replace(n - 1, '');
    if (w.s.length < w.pV) return;
    var suffix = longestSuffix(w.s, ['ion', 'ier', 'ière', 'Ier', 'Ière', 'e', 'ë'], w.pV);
    if (suffix === null) return;
    var start = w.at(suffix);
    if (suffix === 'ion') {
      if (start >= w.p2 && start - 1 >= w.pV && has('st', w.s[start - 1])) w.replace(start, '');
    } else if (suffix === 'e') {
      w.replace(start, '');
    } else if (suffix === 'ë') {
      if (start - 2 >= w.pV && w.s.slice(start - 2, start) === 'gu') w.replace(start, '');
    } else {
      w.replace(start, 'i');
    }
  }

  function stemFrench(word) {
    var prepared = frPrelude(word);
    var w = new Word(prepared, frRegions(prepared));
    if (frStandardSuffix(w) || frIVerbSuffix(w) || frVerbSuffix(w)) {
      if (w.ends('Y')) w.replace(w.at('Y'), 'i');
      else if (w.ends('ç')) w.replace(w.at('ç'), 'c');
    } else {
      frResidualSuffix(w);
    }
    if (/(enn|onn|ett|ell|eill)$/.test(w.s)) w.replace(w.s.length - 1, '');
    var i = w.s.length;
    while (i > 0 && !frVowel(w.s[i - 1])) i--;
    if (i < w.s.length && i > 0 && (w.s[i - 1] === 'é' || w.s[i - 1] === 'è')) {
      w.s = w.s.slice(0, i - 1) + 'e' + w.s.slice(i);
    }
    return w.s.replace(/I/g, 'i').replace(/U/g, 'u').replace(/Y/g, 'y');
  }

  // ---- English Snowball stemmer, Porter2 (snowballstem.org/algorithms/english) ----

  var EN_V = 'aeiouy';
  var EN_EXCEPTIONS = {
    skis: 'ski', skies: 'sky', dying: 'die', lying: 'lie', tying: 'tie', idly: 'idl',
    gently: 'gentl', ugly: 'ugli', early: 'earli', only: 'onli', singly: 'singl',
    sky: 'sky', news: 'news', howe: 'howe', atlas: 'atlas', cosmos: 'cosmos', bias: 'bias',
    andes: 'andes'
  };
  var EN_AFTER_1A = ['inning', 'outing', 'canning', 'herring', 'earring', 'proceed', 'exceed',
    'succeed'];
  var EN_STEP2 = {
    tional: 'tion', enci: 'ence', anci: 'ance', abli: 'able', entli: 'ent', izer: 'ize',
    ization: 'ize', ational: 'ate', ation: 'ate', ator: 'ate', alism: 'al', aliti: 'al',
    alli: 'al', fulness: 'ful', ousli: 'ous', ousness: 'ous', iveness: 'ive', iviti: 'ive',
    biliti: 'ble', bli: 'ble', ogi: 'og', fulli: 'ful', lessli: 'less', li: ''
  };
  var EN_STEP3 = {
    tional: 'tion', ational: 'ate', alize: 'al', icate: 'ic', iciti: 'ic', ical: 'ic',
    ful: '', ness: '', ative: ''
  };
  var EN_STEP4 = ['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment',
    'ent', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize', 'ion'];

  function enVowel(c) { return has(EN_V, c); }

  // A short syllable ends at `end`: consonant-vowel-consonant (not w, x or Y), or
  // vowel-consonant at the start of the word.
  function enShortBefore(s, end) {
    if (end >= 3 && !enVowel(s[end - 3]) && enVowel(s[end - 2]) && !enVowel(s[end - 1]) &&
        !has('wxY', s[end - 1])) {
      return true;
    }
    return end === 2 && enVowel(s[0]) && !enVowel(s[1]);
  }

  function enRegions(s) {
    var prefix = /^(gener|commun|arsen)/.exec(s);
    var p1 = prefix ? prefix[0].length : pastVowelConsonant(s, 0, enVowel);
    return { pV: 0, p1: p1, p2: pastVowelConsonant(s, p1, enVowel) };
  }

  function enStep1a(w) {
    var suffix = longestSuffix(w.s, ['sses', 'ied', 'ies', 's', 'us', 'ss'], 0);
    var start = suffix === null ? 0 : w.at(suffix);
    if (suffix === 'sses') w.replace(start, 'ss');
    else if (suffix === 'ied' || suffix === 'ies') w.replace(start, start >= 2 ? 'i' : 'ie');
    else if (suffix === 's' && start >= 2 && /[aeiouy]/.test(w.s.slice(0, start - 1))) {
      w.replace(start, '');
    }
  }

  function enStep1b(w) {
    var suffix = longestSuffix(w.s, ['eed', 'eedly', 'ed', 'edly', 'ing', 'ingly'], 0);
    if (suffix === null) return;
    var start = w.at(suffix);
    if (suffix === 'eed' || suffix === 'eedly') {
      if (start >= w.p1) w.replace(start, 'ee');
      return;
    }
    if (!/[aeiouy]/.test(w.s.slice(0, start))) return;
    w.replace(start, '');
    if (/(at|bl|iz)$/.test(w.s)) w.s += 'e';
    else if (/(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(w.s)) w.replace(w.s.length - 1, '');
    else if (w.s.length === w.p1 && enShortBefore(w.s, w.s.length)) w.s += 'e';
  }

  function enStep1c(w) {
    var n = w.s.length;
    if (n >= 3 && (w.s[n - 1] === 'y' || w.s[n - 1] === 'Y') && !enVowel(w.s[n - 2])) {
      w.replace(n - 1, 'i');
    }
  }

  function enMapStep(w, table, region) {
    var suffix = longestSuffix(w.s, Object.keys(table), 0);
    if (suffix === null) return;
    var start = w.at(suffix);
    if (start < region) return;
    if (suffix === 'ogi' && w.s[start - 1] !== 'l') return;
    if (suffix === 'li' && !has('cdeghkmnrt', w.s[start - 1])) return;
    if (suffix === 'ative' && start < w.p2) return;
    w.replace(start, table[suffix]);
  }

  function enStep4(w) {
    var suffix = longestSuffix(w.s, EN_STEP4, 0);
    if (suffix === null) return;
    var start = w.at(suffix);
    if (start < w.p2) return;
    if (suffix === 'ion' && !has('st', w.s[start - 1])) return;
    w.replace(start, '');
  }

  function enStep5(w) {
    var n = w.s.length;
    if (w.s[n - 1] === 'e') {
      var at = n - 1;
      if (at >= w.p2 || (at >= w.p1 && !enShortBefore(w.s, at))) w.replace(at, '');
    } else if (w.s[n - 1] === 'l' && n - 1 >= w.p2 && w.s[n - 2] === 'l') {
      w.replace(n - 1, '');
    }
  }

  function stemEnglish(word) {
    if (Object.prototype.hasOwnProperty.call(EN_EXCEPTIONS, word)) return EN_EXCEPTIONS[word];
    if (word.length < 3) return word;
    var s = word.charAt(0) === 'y' ? 'Y' + word.slice(1) : word;
    s = s.replace(/([aeiouy])y/g, '$1Y');
    var w = new Word(s, enRegions(s));
    enStep1a(w);
    if (EN_AFTER_1A.indexOf(w.s) < 0) {
      enStep1b(w);
      enStep1c(w);
      enMapStep(w, EN_STEP2, w.p1);
      enMapStep(w, EN_STEP3, w.p1);
      enStep4(w);
      enStep5(w);
    }
    return w.s.replace(/Y/g, 'y');
  }

  var STEMMERS = { fr: stemFrench, en: stemEnglish };

  // The terms of one word: its stem folded, and the stem of the folded word.
  function wordTerms(stem, word) {
    var lower = word.toLowerCase();
    var first = fold(stem(lower));
    var second = stem(fold(lower));
    return first === second ? [first] : [first, second];
  }

  // ---- The index ----

  function decodeBase64(text) {
    if (Uint8Array.fromBase64) return Uint8Array.fromBase64(text);
    var binary = atob(text);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  function inflate(encoded) {
    var stream = new Blob([decodeBase64(encoded)]).stream()
      .pipeThrough(new DecompressionStream('deflate'));
    return new Response(stream).text().then(JSON.parse);
  }

  // Shards by file name, each loaded once by adding its script; `base` is the entry's URL.
  function Shards(base) {
    this.base = base;
    this.loading = new Map();
  }

  Shards.prototype.get = function (file) {
    var promise = this.loading.get(file);
    if (promise) return promise;
    var base = this.base;
    promise = new Promise(function (resolve, reject) {
      var script = document.createElement('script');
      script.src = new URL(file, base).href;
      script.onload = function () {
        var loaded = window.briefingSearchShards || {};
        var encoded = loaded[file];
        delete loaded[file];
        script.remove();
        if (typeof encoded === 'string') resolve(encoded);
        else reject(new Error('search shard ' + file + ' did not load'));
      };
      script.onerror = function () { reject(new Error('search shard ' + file + ' is missing')); };
      document.head.append(script);
    }).then(inflate);
    this.loading.set(file, promise);
    return promise;
  };

  // The key of the shard a term lives in: its first two characters.
  function termKey(term) {
    return Array.from(term).slice(0, 2).join('');
  }

  // Index of the last `[first, file]` pair whose `first` is not after `value` (or 0).
  function lastAtOrBefore(pairs, value) {
    var low = 0, high = pairs.length;
    while (low < high) {
      var mid = (low + high) >>> 1;
      if (pairs[mid][0] <= value) low = mid + 1; else high = mid;
    }
    return Math.max(0, low - 1);
  }

  // First index in the sorted `terms` not before `term`.
  function lowerBound(terms, term) {
    var low = 0, high = terms.length;
    while (low < high) {
      var mid = (low + high) >>> 1;
      if (terms[mid] < term) low = mid + 1; else high = mid;
    }
    return low;
  }

  var PREFIX_MIN = 3;
  var PREFIX_TERMS_MAX = 100;
  var PREFIX_FACTOR = 0.5;

  function Searcher(entry, shards) {
    this.entry = entry;
    this.shards = shards;
    this.stem = STEMMERS[entry.stemmer] || function (word) { return word; };
    this.cache = new Map();
  }

  Searcher.prototype.termShard = function (term) {
    return this.entry.terms[lastAtOrBefore(this.entry.terms, termKey(term))][1];
  };

  // The term shards the query's words need, loaded: file → {terms, postings}.
  Searcher.prototype.load = function (words) {
    var self = this;
    var files = new Set();
    words.forEach(function (word) {
      word.exact.forEach(function (term) { files.add(self.termShard(term)); });
      if (word.prefix) files.add(self.termShard(word.prefix));
    });
    return Promise.all(Array.from(files).map(function (file) {
      return self.shards.get(file).then(function (shard) { return [file, shard]; });
    })).then(function (pairs) { return new Map(pairs); });
  };

  // The documents of these numbers, from their shards.
  Searcher.prototype.docs = function (numbers) {
    var docs = this.entry.docs, shards = this.shards;
    return Promise.all(numbers.map(function (number) {
      var at = docs[lastAtOrBefore(docs, number)];
      return shards.get(at[1]).then(function (shard) { return shard[number - at[0]]; });
    }));
  };

  Searcher.prototype.termsOf = function (word) {
    var terms = this.cache.get(word);
    if (!terms) {
      terms = wordTerms(this.stem, word);
      this.cache.set(word, terms);
    }
    return terms;
  };

  // The query's words, each with its exact terms and, for the word being typed (the last
  // one, with no space after it), the prefix it may still grow from.
  Searcher.prototype.parse = function (query) {
    var words = (query.match(WORD) || []).filter(longEnough);
    var typing = !/[\s\p{P}]$/u.test(query);
    var self = this;
    return words.map(function (word, i) {
      var prefix = typing && i === words.length - 1 ? fold(word.toLowerCase()) : null;
      return { exact: self.termsOf(word), prefix: prefix && prefix.length >= PREFIX_MIN ? prefix : null };
    });
  };

  // Documents holding every word of the query, best first; `loaded` is what `load` gave.
  Searcher.prototype.search = function (words, loaded) {
    var self = this;
    var count = this.entry.count;
    var scores = new Float64Array(count);
    var matched = new Uint16Array(count);
    var stamp = new Int32Array(count).fill(-1);
    words.forEach(function (word, w) {
      // term → [postings, factor]
      var found = new Map();
      word.exact.forEach(function (term) {
        var shard = loaded.get(self.termShard(term));
        var at = lowerBound(shard.terms, term);
        if (shard.terms[at] === term) found.set(term, [shard.postings[at], 1]);
      });
      if (word.prefix) {
        var shard = loaded.get(self.termShard(word.prefix));
        var terms = shard.terms;
        var start = lowerBound(terms, word.prefix);
        for (var t = start; t < terms.length && t - start < PREFIX_TERMS_MAX &&
             terms[t].startsWith(word.prefix); t++) {
          if (!found.has(terms[t])) found.set(terms[t], [shard.postings[t], PREFIX_FACTOR]);
        }
      }
      found.forEach(function (pair) {
        var list = pair[0], factor = pair[1];
        var idf = Math.log(1 + count / (list.length / 2));
        var doc = 0;
        for (var i = 0; i < list.length; i += 2) {
          doc += list[i];
          scores[doc] += list[i + 1] * idf * factor;
          if (stamp[doc] !== w) {
            stamp[doc] = w;
            matched[doc]++;
          }
        }
      });
    });
    var results = [];
    for (var d = 0; d < count; d++) {
      if (matched[d] === words.length) results.push(d);
    }
    results.sort(function (a, b) { return scores[b] - scores[a] || a - b; });
    return results;
  };

  // Whether a word of the text is one the query looks for.
  Searcher.prototype.matches = function (words, word) {
    if (!longEnough(word)) return false;
    var terms = this.termsOf(word);
    var folded = null;
    return words.some(function (query) {
      if (query.exact.some(function (term) { return terms.indexOf(term) >= 0; })) return true;
      if (!query.prefix) return false;
      folded = folded || fold(word.toLowerCase());
      return folded.startsWith(query.prefix) ||
        terms.some(function (term) { return term.startsWith(query.prefix); });
    });
  };

  // ---- The page ----

  var SNIPPET_BEFORE = 12;
  var SNIPPET_AFTER = 24;
  var PAGE_SIZE = 10;

  // Appends `text` with each block of the page (a heading, a paragraph, a list item) on
  // its own line, so that a heading never runs into the sentence after it.
  function appendLines(fragment, text) {
    var lines = text.split(/[ \t]*\n\s*/);
    lines.forEach(function (line, index) {
      if (index > 0 && fragment.lastChild && fragment.lastChild.nodeName !== 'BR') {
        fragment.append(document.createElement('br'));
      }
      if (line) fragment.append(line);
    });
  }

  // `text` from `start` to `end`, as nodes with the words the query looks for in <mark>.
  function marked(searcher, words, text, start, end) {
    var fragment = document.createDocumentFragment();
    var at = start;
    var pattern = new RegExp(WORD.source, 'gu');
    pattern.lastIndex = start;
    var match;
    while ((match = pattern.exec(text)) && match.index < end) {
      if (!searcher.matches(words, match[0])) continue;
      appendLines(fragment, text.slice(at, match.index));
      var mark = document.createElement('mark');
      mark.textContent = match[0];
      fragment.append(mark);
      at = match.index + match[0].length;
    }
    appendLines(fragment, text.slice(at, end));
    return fragment;
  }

  // A passage of the body around the first word the query looks for; the summary if the
  // body does not have one.
  function snippet(searcher, words, doc) {
    var text = doc.b;
    var pattern = new RegExp(WORD.source, 'gu');
    var starts = [];
    var hit = -1;
    var match;
    while ((match = pattern.exec(text))) {
      starts.push(match.index);
      if (hit < 0 && searcher.matches(words, match[0])) hit = starts.length - 1;
      if (hit >= 0 && starts.length > hit + SNIPPET_AFTER) break;
    }
    var paragraph = document.createElement('p');
    paragraph.className = 'search-result__snippet';
    if (hit < 0) {
      paragraph.append(marked(searcher, words, doc.s, 0, doc.s.length));
      return paragraph;
    }
    var first = Math.max(0, hit - SNIPPET_BEFORE);
    var from = starts[first];
    // Start at the block the match is in rather than in the middle of the one before it.
    var block = text.lastIndexOf('\n', starts[hit]) + 1;
    if (block > from) from = block;
    var to = hit + SNIPPET_AFTER < starts.length ? starts[hit + SNIPPET_AFTER] : text.length;
    if (from > 0 && text[from - 1] !== '\n') paragraph.append('… ');
    paragraph.append(marked(searcher, words, text, from, to));
    if (to < text.length) paragraph.append(' …');
    return paragraph;
  }

  function resultItem(searcher, words, doc) {
    var item = document.createElement('li');
    item.className = 'search-result';
    var heading = document.createElement('h2');
    heading.className = 'search-result__title';
    var link = document.createElement('a');
    link.href = doc.u;
    link.append(marked(searcher, words, doc.t, 0, doc.t.length));
    heading.append(link);
    item.append(heading, snippet(searcher, words, doc));
    if (doc.g) {
      var tags = document.createElement('p');
      tags.className = 'search-result__tags';
      tags.append(marked(searcher, words, doc.g, 0, doc.g.length));
      item.append(tags);
    }
    return item;
  }

  function countMessage(form, count, query) {
    var lang = form.dataset.lang;
    var category = new Intl.PluralRules(lang).select(count);
    var key = form.dataset['count' + category[0].toUpperCase() + category.slice(1)] !== undefined
      ? category : 'other';
    var capital = key[0].toUpperCase() + key.slice(1);
    var template = form.dataset['count' + capital];
    var sample = new Intl.NumberFormat(lang).format(Number(form.dataset['sample' + capital]));
    return template.replace(sample, new Intl.NumberFormat(lang).format(count))
      .replace('{query}', query);
  }

  function start() {
    var form = document.querySelector('form[data-search]');
    if (!form) return;
    var input = form.querySelector('input[type="search"]');
    var status = document.getElementById('search-status');
    var list = document.getElementById('search-results');
    var more = document.getElementById('search-more');
    var searcher = null;
    var results = [], words = [], shown = 0;
    // Each query's answer waits for shards: only the latest query's answer is shown.
    var generation = 0;

    function append(docs) {
      docs.forEach(function (doc) { list.append(resultItem(searcher, words, doc)); });
      shown += docs.length;
      more.parentElement.hidden = shown >= results.length;
    }

    function showMore() {
      var mine = generation;
      return searcher.docs(results.slice(shown, shown + PAGE_SIZE)).then(function (docs) {
        if (mine === generation) append(docs);
      });
    }

    function failed(error) {
      status.textContent = form.dataset.messageUnavailable;
      if (window.console) console.error(error);
    }

    function run() {
      var query = input.value.trim();
      var mine = ++generation;
      if (!searcher) return;
      var parsed = searcher.parse(input.value);
      if (parsed.length === 0) {
        list.replaceChildren();
        shown = 0;
        results = [];
        status.textContent = form.dataset.messageEmpty;
        more.parentElement.hidden = true;
        return;
      }
      searcher.load(parsed).then(function (loaded) {
        if (mine !== generation) return null;
        var found = searcher.search(parsed, loaded);
        return searcher.docs(found.slice(0, PAGE_SIZE)).then(function (docs) {
          if (mine !== generation) return;
          list.replaceChildren();
          words = parsed;
          results = found;
          shown = 0;
          status.textContent = found.length === 0
            ? form.dataset.messageNone.replace('{query}', query)
            : countMessage(form, found.length, query);
          append(docs);
          // Tells whoever waits on the page (tests, bench/search) that this query is answered.
          form.dataset.answered = String(mine);
        });
      }).catch(failed);
    }

    function remember() {
      var url = new URL(window.location.href);
      if (input.value.trim()) url.searchParams.set('q', input.value.trim());
      else url.searchParams.delete('q');
      try { history.replaceState(null, '', url); } catch (ignored) { /* file:// may refuse */ }
    }

    function links() { return Array.prototype.slice.call(list.querySelectorAll('a')); }

    input.addEventListener('input', run);
    input.addEventListener('change', remember);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      run();
      remember();
    });
    input.addEventListener('keydown', function (event) {
      if (event.key === 'ArrowDown' && links().length) {
        event.preventDefault();
        links()[0].focus();
      } else if (event.key === 'Escape') {
        input.value = '';
        run();
      }
    });
    list.addEventListener('keydown', function (event) {
      var all = links();
      var at = all.indexOf(document.activeElement);
      if (at < 0) return;
      if (event.key === 'ArrowDown' && at + 1 < all.length) {
        event.preventDefault();
        all[at + 1].focus();
      } else if (event.key === 'ArrowUp') {
        event.preventDefault();
        (at > 0 ? all[at - 1] : input).focus();
      }
    });
    more.addEventListener('click', function () {
      var first = shown;
      showMore().then(function () {
        var next = links()[first];
        if (next) next.focus();
      }).catch(failed);
    });

    input.value = new URLSearchParams(window.location.search).get('q') || '';
    var entry = window.briefingSearchIndex;
    var entryScript = document.querySelector('script[src*="search-index.js"]');
    if (!entry || typeof entry !== 'object' || !entryScript) {
      status.textContent = form.dataset.messageUnavailable;
      return;
    }
    searcher = new Searcher(entry, new Shards(entryScript.src));
    form.dataset.ready = 'true';
    run();
  }

  // For the tests, which check these against rust-stemmers word for word.
  window.briefingSearchTerms = { stemFrench: stemFrench, stemEnglish: stemEnglish, wordTerms: wordTerms };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
