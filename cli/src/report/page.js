// warta report: renders the embedded data on demand (one page of the list,
// or the opened article). Article text is untrusted: it only ever reaches
// the DOM through text nodes and setAttribute, never through innerHTML.
(function () {
  'use strict';

  // When the page had been read up to this script (data included).
  document.documentElement.setAttribute('data-script-ms', Math.round(performance.now()));
  // The data: a header, the articles in chunks (each freed once read), and
  // the input lines that could not be read.
  var DATA = JSON.parse(document.getElementById('warta-data').textContent);
  var TOPICS = DATA.topics;
  var ARTICLES = [];
  Array.prototype.forEach.call(document.querySelectorAll('script.warta-articles'), function (script) {
    var chunk = JSON.parse(script.textContent);
    for (var i = 0; i < chunk.length; i++) ARTICLES.push(chunk[i]);
    script.remove();
  });
  DATA.errors = JSON.parse(document.getElementById('warta-errors').textContent);
  document.documentElement.setAttribute('data-data-ms',
    Math.round(performance.now()) - document.documentElement.getAttribute('data-script-ms'));
  var PAGE_SIZE = 50;
  var TOPIC_INFO = {
    neutrality_warning: ['NW', 'Neutrality warning'],
    sanction_threat: ['ST', 'Sanction threat'],
    passive_campaign_attendance: ['PCA', 'Passive campaign attendance'],
    violation_report: ['VR', 'Violation report'],
    neutrality_pledge: ['NP', 'Neutrality pledge'],
    social_media_conduct: ['SMC', 'Social media conduct'],
    campaign_leave: ['CL', 'Campaign leave'],
    money_politics: ['MP', 'Money politics']
  };
  var RULES = {
    term: 'term',
    near: 'proximity rule',
    carry_over: 'carried over from the previous paragraph'
  };

  var main = document.getElementById('main');
  var tip = document.getElementById('tip');

  // ---- small DOM helpers (text only, never markup) ----

  function el(tag, attrs) {
    var node = document.createElement(tag);
    setAttrs(node, attrs);
    for (var i = 2; i < arguments.length; i++) add(node, arguments[i]);
    return node;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    setAttrs(node, attrs);
    for (var i = 2; i < arguments.length; i++) add(node, arguments[i]);
    return node;
  }

  function setAttrs(node, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === 'text') node.textContent = String(value);
      else node.setAttribute(key, String(value));
    });
  }

  function add(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) child.forEach(function (c) { add(node, c); });
    else if (typeof child === 'string' || typeof child === 'number') node.appendChild(document.createTextNode(String(child)));
    else node.appendChild(child);
  }

  function topicCode(t) { return (TOPIC_INFO[TOPICS[t]] || [TOPICS[t]])[0]; }
  function topicName(t) { return (TOPIC_INFO[TOPICS[t]] || [0, TOPICS[t]])[1]; }
  function fmt(score) { return Number(score).toFixed(2); }
  function plural(n, word) { return n.toLocaleString('en') + ' ' + word + (n === 1 ? '' : 's'); }

  function chip(t, score, strong) {
    return el('span', { 'class': 'chip t' + t + (strong ? ' strong' : ''), 'data-chip': TOPICS[t], title: topicName(t) },
      el('span', { 'class': 'code', text: topicCode(t) }),
      el('span', { text: topicName(t) }),
      score === undefined ? null : el('span', { 'class': 'score', text: fmt(score) }));
  }

  // ---- article accessors ----

  function fields(a) { return a.f || {}; }
  function isContent(p) { return p[2] === null; }
  function scoreOf(a, t) {
    for (var i = 0; i < a.s.length; i++) if (a.s[i][0] === t) return a.s[i][1];
    return 0;
  }
  function maxScore(a) {
    var best = 0;
    for (var i = 0; i < a.l.length; i++) best = Math.max(best, scoreOf(a, a.l[i]));
    return best;
  }
  function titleOf(a) {
    if (a._title !== undefined) return a._title;
    var title = fields(a).title;
    if (!title) {
      var first = a.p.filter(isContent)[0] || a.p[0];
      title = first ? a.t.slice(first[0], first[1]) : '';
      if (a.d && first && a.d[0] === first[0]) title = a.t.slice(a.d[1], first[1]);
    }
    title = title.replace(/\s+/g, ' ').trim();
    if (title.length > 180) title = title.slice(0, 177) + '…';
    a._title = title || '(empty article)';
    return a._title;
  }
  function outletOf(a) { return fields(a).outlet || ''; }

  // The Monday of the ISO week of a date, as "YYYY-MM-DD", or null.
  function weekOf(date) {
    if (!date) return null;
    var m = /^(\d{4})[-\/](\d{1,2})[-\/](\d{1,2})/.exec(date);
    var time = m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : Date.parse(date);
    if (!isFinite(time)) return null;
    var day = new Date(time);
    var monday = time - ((day.getUTCDay() + 6) % 7) * 86400000;
    return new Date(monday).toISOString().slice(0, 10);
  }

  // ---- state in the URL hash ----

  function readState() {
    var p = new URLSearchParams(location.hash.replace(/^#/, ''));
    return {
      view: p.get('view'),
      article: p.get('article'),
      n: p.get('n'),
      topic: p.get('topic') || '',
      outlet: p.get('outlet') || '',
      q: p.get('q') || '',
      sort: p.get('sort') || 'score',
      page: Math.max(1, parseInt(p.get('page'), 10) || 1)
    };
  }

  function listHash(s) {
    var p = new URLSearchParams();
    p.set('view', 'list');
    if (s.topic) p.set('topic', s.topic);
    if (s.outlet) p.set('outlet', s.outlet);
    if (s.q) p.set('q', s.q);
    if (s.sort && s.sort !== 'score') p.set('sort', s.sort);
    if (s.page > 1) p.set('page', s.page);
    return '#' + p.toString();
  }

  var idCounts = null;
  function articleHash(index) {
    if (!idCounts) {
      idCounts = new Map();
      ARTICLES.forEach(function (a) { idCounts.set(a.id, (idCounts.get(a.id) || 0) + 1); });
    }
    var p = new URLSearchParams();
    p.set('article', ARTICLES[index].id);
    if (idCounts.get(ARTICLES[index].id) > 1) p.set('n', index);
    return '#' + p.toString();
  }

  function findArticle(s) {
    var n = parseInt(s.n, 10);
    if (n >= 0 && n < ARTICLES.length && ARTICLES[n].id === s.article) return n;
    for (var i = 0; i < ARTICLES.length; i++) if (ARTICLES[i].id === s.article) return i;
    return -1;
  }

  // ---- the list: filtering and sorting, cached per filter ----

  var lastFilter = { key: null, items: [] };
  function filtered(s) {
    var key = JSON.stringify([s.topic, s.outlet, s.q, s.sort]);
    if (lastFilter.key === key) return lastFilter.items;
    var t = TOPICS.indexOf(s.topic);
    var q = s.q.trim();
    var re = q ? new RegExp(q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i') : null;
    var items = [];
    for (var i = 0; i < ARTICLES.length; i++) {
      var a = ARTICLES[i];
      if (t >= 0 && a.l.indexOf(t) < 0) continue;
      if (s.outlet && outletOf(a) !== s.outlet) continue;
      if (re && !(re.test(a.id) || re.test(titleOf(a)) || re.test(a.t))) continue;
      items.push(i);
    }
    if (s.sort === 'score') {
      var score = t >= 0 ? function (a) { return scoreOf(a, t); } : maxScore;
      var keys = new Float64Array(ARTICLES.length);
      items.forEach(function (i) { keys[i] = score(ARTICLES[i]); });
      items.sort(function (x, y) { return keys[y] - keys[x] || x - y; });
    } else if (s.sort === 'date') {
      items.sort(function (x, y) {
        var dx = fields(ARTICLES[x]).date || '', dy = fields(ARTICLES[y]).date || '';
        return dx < dy ? 1 : dx > dy ? -1 : x - y;
      });
    }
    lastFilter = { key: key, items: items };
    return items;
  }

  // ---- overview statistics, computed once ----

  var statsCache = null;
  function stats() {
    if (statsCache) return statsCache;
    var st = {
      paragraphs: 0, content: 0, boilerplate: 0, spans: 0, labelled: 0,
      kinds: new Map(), perTopic: TOPICS.map(function () { return 0; }),
      outlets: new Map(), weeks: new Map(), dated: 0
    };
    ARTICLES.forEach(function (a) {
      st.paragraphs += a.p.length;
      a.p.forEach(function (p) {
        if (isContent(p)) {
          st.content++;
          p[5].forEach(function (e) { st.spans += (e.length - 4) / 2; });
        } else {
          st.boilerplate++;
          st.kinds.set(p[2], (st.kinds.get(p[2]) || 0) + 1);
        }
      });
      if (a.l.length) st.labelled++;
      a.l.forEach(function (t) { st.perTopic[t]++; });
      var outlet = outletOf(a);
      if (outlet) bump(st.outlets, outlet, a);
      var week = weekOf(fields(a).date);
      if (week) { st.dated++; bump(st.weeks, week, a); }
    });
    function bump(map, key, a) {
      var row = map.get(key);
      if (!row) { row = { n: 0, topics: TOPICS.map(function () { return 0; }) }; map.set(key, row); }
      row.n++;
      a.l.forEach(function (t) { row.topics[t]++; });
    }
    statsCache = st;
    return st;
  }

  // ---- charts (inline SVG) ----

  // An SVG drawn at its natural size, shrinking to fit narrow screens.
  function chartRoot(width, height, title) {
    return svg('svg', { 'class': 'chart', width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': title },
      svg('title', { text: title }));
  }

  // Horizontal bars: rows of {label, value, cls, href, note}.
  function barChart(rows, title) {
    var width = 580, labelW = 240, rowH = 24, top = 6;
    var max = Math.max(1, Math.max.apply(null, rows.map(function (r) { return r.value; })));
    var plotW = width - labelW - 60;
    var root = chartRoot(width, top + rows.length * rowH + 4, title);
    add(root, svg('title', { text: title }));
    rows.forEach(function (r, i) {
      var y = top + i * rowH;
      var w = r.value ? Math.max(2, plotW * r.value / max) : 0;
      var g = svg('g', { 'class': r.cls || '' },
        svg('title', { text: r.label + ': ' + r.value.toLocaleString('en') + (r.note ? ' ' + r.note : '') }),
        svg('text', { x: labelW - 8, y: y + 16, 'text-anchor': 'end', text: r.label }),
        svg('rect', { 'class': 'fill', x: labelW, y: y + 4, width: w, height: rowH - 8, rx: 2 }),
        svg('text', { 'class': 'small', x: labelW + w + 6, y: y + 16, text: r.value.toLocaleString('en') }));
      add(root, r.href ? svg('a', { href: r.href, 'aria-label': r.label + ', ' + r.value + ' articles' }, g) : g);
    });
    return root;
  }

  // Outlets × topics: each cell the number of the outlet's articles with the topic.
  function outletChart(st) {
    var rows = Array.from(st.outlets.entries()).sort(function (x, y) { return y[1].n - x[1].n || (x[0] < y[0] ? -1 : 1); });
    var shown = rows.slice(0, 20);
    if (rows.length > shown.length) {
      var rest = { n: 0, topics: TOPICS.map(function () { return 0; }) };
      rows.slice(20).forEach(function (r) {
        rest.n += r[1].n;
        r[1].topics.forEach(function (c, t) { rest.topics[t] += c; });
      });
      shown.push(['(' + (rows.length - 20) + ' other outlets)', rest, true]);
    }
    var labelW = 200, cellW = 52, cellH = 24, top = 26;
    var width = labelW + TOPICS.length * cellW + 70;
    var root = chartRoot(width, top + shown.length * cellH + 4, 'Articles per topic and outlet');
    TOPICS.forEach(function (_, t) {
      add(root, svg('text', { 'class': 'small', x: labelW + t * cellW + cellW / 2, y: 16, 'text-anchor': 'middle', text: topicCode(t) },
        svg('title', { text: topicName(t) })));
    });
    add(root, svg('text', { 'class': 'small', x: labelW + TOPICS.length * cellW + 10, y: 16, text: 'articles' }));
    shown.forEach(function (row, i) {
      var y = top + i * cellH, name = row[0], data = row[1];
      var label = name.length > 28 ? name.slice(0, 27) + '…' : name;
      var rowLabel = svg('text', { x: labelW - 8, y: y + 16, 'text-anchor': 'end', text: label }, svg('title', { text: name }));
      add(root, row[2] ? rowLabel : svg('a', { href: listHash({ outlet: name, page: 1 }) }, rowLabel));
      data.topics.forEach(function (count, t) {
        var share = count / Math.max(1, data.n);
        var g = svg('g', { 'class': 't' + t },
          svg('title', { text: name + ' · ' + topicName(t) + ': ' + count + ' of ' + data.n + ' articles' }),
          svg('rect', { 'class': count ? 'fill' : 'grid', x: labelW + t * cellW + 1, y: y + 1, width: cellW - 2, height: cellH - 2, rx: 2,
            'fill-opacity': count ? (0.18 + 0.82 * Math.min(1, share * 2)).toFixed(2) : 0, fill: count ? null : 'none' }),
          count ? svg('text', { 'class': share > 0.3 && t !== 6 ? 'small on-dark' : 'small', x: labelW + t * cellW + cellW / 2, y: y + 16, 'text-anchor': 'middle', text: count }) : null);
        add(root, g);
      });
      add(root, svg('text', { 'class': 'small', x: labelW + TOPICS.length * cellW + 10, y: y + 16, text: data.n.toLocaleString('en') }));
    });
    return root;
  }

  // Topics per week: one strip of bars per topic, all articles on top.
  function weekChart(st) {
    var keys = Array.from(st.weeks.keys()).sort();
    var first = Date.parse(keys[0]), last = Date.parse(keys[keys.length - 1]);
    var weeks = Math.round((last - first) / 604800000) + 1;
    var labelW = 230, rowH = 34, top = 8, axisH = 22;
    var step = Math.min(20, 880 / weeks), plotW = step * weeks;
    var rows = [{ label: 'All articles', cls: 'all', get: function (r) { return r.n; } }].concat(TOPICS.map(function (_, t) {
      return { label: topicCode(t) + ' ' + topicName(t), cls: 't' + t, get: function (r) { return r.topics[t]; } };
    }));
    var height = top + rows.length * rowH + axisH;
    var root = chartRoot(Math.max(labelW + plotW + 30, 500), height, 'Articles per topic and week');
    rows.forEach(function (row, i) {
      var y = top + i * rowH;
      var max = 0;
      st.weeks.forEach(function (r) { max = Math.max(max, row.get(r)); });
      var g = svg('g', { 'class': row.cls },
        svg('text', { x: labelW - 8, y: y + rowH / 2 + 2, 'text-anchor': 'end', text: row.label }),
        svg('text', { 'class': 'axis', x: labelW - 8, y: y + rowH / 2 + 14, 'text-anchor': 'end', text: 'max ' + max + '/week' }),
        svg('line', { 'class': 'grid', x1: labelW, x2: labelW + plotW, y1: y + rowH - 3, y2: y + rowH - 3 }));
      st.weeks.forEach(function (r, key) {
        var v = row.get(r);
        if (!v) return;
        var x = labelW + Math.round((Date.parse(key) - first) / 604800000) * step;
        var h = Math.max(1.5, (rowH - 8) * v / Math.max(1, max));
        add(g, svg('rect', { 'class': 'fill', x: x.toFixed(1), y: (y + rowH - 3 - h).toFixed(1), width: Math.max(1, step - (step > 3 ? 1 : 0)).toFixed(1), height: h.toFixed(1) },
          svg('title', { text: 'Week of ' + key + ': ' + v + (row.cls === 'all' ? ' articles' : ' articles with ' + row.label) })));
      });
      add(root, g);
    });
    // Axis: years, or months when the span is short.
    var axisY = top + rows.length * rowH + 14;
    var start = new Date(first), end = new Date(last + 6 * 86400000);
    var monthly = weeks <= 120;
    var tick = new Date(Date.UTC(start.getUTCFullYear(), monthly ? start.getUTCMonth() : 0, 1));
    var ticks = 0;
    while (tick <= end && ticks < 400) {
      var tx = labelW + (tick - first) / 604800000 * step;
      if (tx >= labelW) {
        add(root, svg('line', { 'class': 'grid', x1: tx.toFixed(1), x2: tx.toFixed(1), y1: top, y2: axisY - 10 }));
        var text = monthly ? tick.toISOString().slice(0, 7) : String(tick.getUTCFullYear());
        if (!monthly || weeks <= 60 || tick.getUTCMonth() % 3 === 0) add(root, svg('text', { 'class': 'axis', x: tx.toFixed(1), y: axisY, 'text-anchor': 'middle', text: text }));
      }
      if (monthly) tick.setUTCMonth(tick.getUTCMonth() + 1); else tick.setUTCFullYear(tick.getUTCFullYear() + 1);
      ticks++;
    }
    return root;
  }

  // ---- views ----

  function setView(name) {
    main.setAttribute('data-view', name);
    document.getElementById('nav-overview').toggleAttribute('aria-current', false);
    document.getElementById('nav-list').toggleAttribute('aria-current', false);
    var nav = name === 'overview' ? 'nav-overview' : name === 'list' ? 'nav-list' : null;
    if (nav) document.getElementById(nav).setAttribute('aria-current', 'page');
  }

  function renderOverview() {
    setView('overview');
    var st = stats();
    var cards = el('div', { 'class': 'cards' },
      card(ARTICLES.length, 'articles'),
      card(st.labelled, 'articles with a topic'),
      card(st.paragraphs, 'paragraphs'),
      card(st.content, 'content paragraphs'),
      card(st.boilerplate, 'boilerplate removed'),
      card(st.spans, 'evidence spans'),
      DATA.errors.length ? card(DATA.errors.length, 'input lines not read') : null);
    var topicRows = TOPICS.map(function (id, t) {
      return { label: topicCode(t) + '  ' + topicName(t), value: st.perTopic[t], cls: 't' + t, href: listHash({ topic: id, page: 1 }) };
    });
    var kindRows = Array.from(st.kinds.entries()).sort(function (x, y) { return y[1] - x[1]; }).map(function (k) {
      return { label: k[0].replace(/_/g, ' '), value: k[1], note: 'paragraphs' };
    });
    var sections = [
      el('h1', { text: 'Overview' }),
      cards,
      el('div', { 'class': 'charts' },
        el('section', null, el('h2', { text: 'Articles per topic' }), barChart(topicRows, 'Articles per topic')),
        el('section', null, el('h2', { text: 'Boilerplate removed, by kind (paragraphs)' }),
          kindRows.length ? barChart(kindRows, 'Boilerplate paragraphs per kind') : el('p', { 'class': 'empty', text: 'No boilerplate found.' })))
    ];
    if (st.outlets.size) {
      sections.push(el('section', null, el('h2', { text: 'Topics per outlet (articles)' }), outletChart(st)));
    }
    if (st.weeks.size) {
      sections.push(el('section', null, el('h2', { text: 'Topics per week' }),
        el('p', { 'class': 'muted', text: st.dated.toLocaleString('en') + ' of ' + plural(ARTICLES.length, 'article') + ' have a date; bars count articles per week (Monday to Sunday), each strip scaled to its own maximum.' }),
        weekChart(st)));
    }
    if (DATA.errors.length) sections.push(errorTable());
    main.replaceChildren.apply(main, sections);
  }

  function card(n, label) {
    return el('div', { 'class': 'card' }, el('b', { text: n.toLocaleString('en') }), el('span', { text: label }));
  }

  function errorTable() {
    var shown = DATA.errors.slice(0, 200);
    return el('section', { 'class': 'errors' },
      el('h2', { text: 'Input lines not read (' + DATA.errors.length + ')' }),
      el('table', null, el('tr', null, el('th', { text: 'file' }), el('th', { text: 'line' }), el('th', { text: 'id' }), el('th', { text: 'error' })),
        shown.map(function (e) {
          return el('tr', null, el('td', { text: e.file }), el('td', { text: e.line }), el('td', { text: e.id === null ? '' : e.id }), el('td', { text: e.error }));
        })));
  }

  var listUi = null;
  function renderList(s) {
    if (main.getAttribute('data-view') !== 'list' || !listUi) buildList();
    setView('list');
    var ui = listUi;
    if (ui.topic.value !== s.topic) ui.topic.value = s.topic;
    if (ui.outlet.value !== s.outlet) ui.outlet.value = s.outlet;
    if (ui.q.value !== s.q && document.activeElement !== ui.q) ui.q.value = s.q;
    if (ui.sort.value !== s.sort) ui.sort.value = s.sort;
    var items = filtered(s);
    var pages = Math.max(1, Math.ceil(items.length / PAGE_SIZE));
    var page = Math.min(s.page, pages);
    var from = (page - 1) * PAGE_SIZE;
    var t = TOPICS.indexOf(s.topic);
    ui.count.textContent = items.length === ARTICLES.length
      ? plural(ARTICLES.length, 'article')
      : items.length.toLocaleString('en') + ' of ' + plural(ARTICLES.length, 'article');
    ui.list.replaceChildren.apply(ui.list, items.slice(from, from + PAGE_SIZE).map(function (i) {
      var a = ARTICLES[i], f = fields(a);
      return el('li', { 'class': 'item', 'data-id': a.id },
        el('div', { 'class': 'head' },
          el('a', { 'class': 'id', href: articleHash(i), text: a.id }),
          el('span', { 'class': 'meta', text: [f.date, f.outlet].filter(Boolean).join(' · ') })),
        el('div', { 'class': 'title', text: titleOf(a) }),
        el('div', { 'class': 'chips' }, a.l.length ? a.l.map(function (lt) { return chip(lt, scoreOf(a, lt), lt === t); })
          : el('span', { 'class': 'muted', text: 'no topic' })));
    }));
    if (!items.length) ui.list.appendChild(el('li', { 'class': 'empty', text: 'No article matches.' }));
    ui.page.textContent = 'Page ' + page + ' of ' + pages;
    ui.prev.disabled = page <= 1;
    ui.next.disabled = page >= pages;
    ui.state = { topic: s.topic, outlet: s.outlet, q: s.q, sort: s.sort, page: page };
    lastList = listHash(ui.state);
  }

  function buildList() {
    var outlets = Array.from(stats().outlets.keys()).sort();
    var ui = {};
    ui.topic = el('select', { id: 'f-topic' }, el('option', { value: '', text: 'All topics' }),
      TOPICS.map(function (id, t) { return el('option', { value: id, text: topicCode(t) + ' · ' + topicName(t) }); }));
    ui.outlet = el('select', { id: 'f-outlet' }, el('option', { value: '', text: 'All outlets' }),
      outlets.map(function (o) { return el('option', { value: o, text: o }); }));
    ui.q = el('input', { id: 'f-q', type: 'search', placeholder: 'words in id, title or text', autocomplete: 'off' });
    ui.sort = el('select', { id: 'f-sort' },
      el('option', { value: 'score', text: 'Score (highest first)' }),
      el('option', { value: 'input', text: 'Input order' }),
      el('option', { value: 'date', text: 'Date (newest first)' }));
    ui.count = el('p', { 'class': 'count', 'aria-live': 'polite' });
    ui.list = el('ol', { 'class': 'items', id: 'items' });
    ui.prev = el('button', { type: 'button', text: '‹ Previous' });
    ui.next = el('button', { type: 'button', text: 'Next ›' });
    ui.page = el('span', { 'class': 'muted' });
    function go(changes, replace) {
      var s = Object.assign({}, ui.state, changes);
      var hash = listHash(s);
      if (replace) { history.replaceState(null, '', hash); render(); } else location.hash = hash;
    }
    ui.topic.addEventListener('change', function () { go({ topic: ui.topic.value, page: 1 }); });
    ui.outlet.addEventListener('change', function () { go({ outlet: ui.outlet.value, page: 1 }); });
    ui.sort.addEventListener('change', function () { go({ sort: ui.sort.value, page: 1 }); });
    var timer = 0;
    ui.q.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { go({ q: ui.q.value, page: 1 }, true); }, 200);
    });
    ui.prev.addEventListener('click', function () { go({ page: ui.state.page - 1 }); });
    ui.next.addEventListener('click', function () { go({ page: ui.state.page + 1 }); });
    main.replaceChildren(
      el('h1', { text: 'Articles' }),
      el('div', { 'class': 'controls', role: 'search' },
        el('label', null, 'Topic', ui.topic),
        outlets.length ? el('label', null, 'Outlet', ui.outlet) : null,
        el('label', null, 'Search', ui.q),
        el('label', null, 'Sort by', ui.sort)),
      ui.count, ui.list,
      el('div', { 'class': 'pager' }, ui.prev, ui.page, ui.next));
    listUi = ui;
  }

  var lastList = null;

  function renderArticle(index) {
    setView('article');
    listUi = null;
    var a = ARTICLES[index], f = fields(a);
    var crumbs = el('div', { 'class': 'crumbs' },
      el('a', { href: lastList || '#view=list', text: '← Articles' }));
    var s = lastList ? readStateFrom(lastList) : null;
    if (s) {
      var items = filtered(s), at = items.indexOf(index);
      if (at > 0) add(crumbs, el('a', { href: articleHash(items[at - 1]), text: '‹ Previous' }));
      if (at >= 0 && at + 1 < items.length) add(crumbs, el('a', { href: articleHash(items[at + 1]), text: 'Next ›' }));
      if (at >= 0) add(crumbs, el('span', { 'class': 'muted', text: (at + 1) + ' of ' + items.length }));
    }
    var facts = el('div', { 'class': 'facts' }, fact('id', a.id), fact('date', f.date), fact('outlet', f.outlet),
      fact('url', f.url), a.d ? fact('dateline', [a.d[2], a.d[3]].filter(Boolean).join(' · ') || a.t.slice(a.d[0], a.d[1]).trim()) : null,
      a.o ? fact('sign-off', a.t.slice(a.o[0], a.o[1])) : null);
    var used = {};
    a.p.forEach(function (p) { if (isContent(p)) p[5].forEach(function (e) { used[e[0]] = true; }); });
    var legend = el('div', { 'class': 'legend', 'aria-label': 'Highlight colours' },
      el('span', { 'class': 'muted', text: 'Evidence:' }),
      TOPICS.map(function (_, t) {
        return used[t] ? el('span', { 'class': 'key' }, el('mark', { 'class': 'ev t' + t, text: topicCode(t) }), topicName(t)) : null;
      }),
      el('span', { 'class': 'muted', text: 'Hover or focus (Tab) a highlight for its rule and score; ¬ marks words after a negation; struck-through grey paragraphs are boilerplate.' }));
    var firstContent = true;
    var paragraphs = el('div', { 'class': 'doc', id: 'doc' }, a.p.map(function (p, i) {
      var row = paragraph(a, p, i, firstContent && isContent(p));
      if (isContent(p)) firstContent = false;
      return row;
    }));
    main.replaceChildren(crumbs,
      el('h1', { text: titleOf(a) }),
      facts,
      el('div', { 'class': 'chips', id: 'article-labels' }, a.l.length ? a.l.map(function (t) { return chip(t, scoreOf(a, t)); })
        : el('span', { 'class': 'muted', text: 'No topic' })),
      legend, paragraphs);
    window.scrollTo(0, 0);
    // #article=ID&mark=N opens with the Nth highlight focused and explained.
    var wanted = parseInt(new URLSearchParams(location.hash.replace(/^#/, '')).get('mark'), 10);
    var marks = paragraphs.querySelectorAll('mark[data-topic]');
    if (wanted >= 1 && wanted <= marks.length) {
      marks[wanted - 1].focus();
      showTip(marks[wanted - 1]);
    }
  }

  function readStateFrom(hash) {
    var p = new URLSearchParams(hash.replace(/^#/, ''));
    return { topic: p.get('topic') || '', outlet: p.get('outlet') || '', q: p.get('q') || '', sort: p.get('sort') || 'score' };
  }

  function fact(name, value) {
    return value ? el("span", null, el("span", { "class": "k", text: name + " " }), String(value)) : null;
  }

  // One paragraph: its text with the dateline, sign-off and every evidence
  // span as nested elements; the labels in the margin.
  function paragraph(a, p, index, first) {
    var start = p[0], end = p[1];
    var row = el('div', { 'class': 'para' + (isContent(p) ? '' : ' bp') + (first ? ' first' : ''), 'data-paragraph': index });
    var text = el('div', { 'class': 'ptext' });
    var margin = el('div', { 'class': 'margin' });
    if (!isContent(p)) {
      row.setAttribute('data-boilerplate', p[2]);
      add(text, [el('span', { 'class': 'bpkind', text: p[2].replace(/_/g, ' ') }), ' ', a.t.slice(start, end)]);
      add(margin, el('span', { 'class': 'muted', text: 'boilerplate: ' + p[2].replace(/_/g, ' ') }));
      add(row, [text, margin]);
      return row;
    }
    var scores = {};
    p[4].forEach(function (s) { scores[s[0]] = s[1]; });
    var spans = [];
    if (a.d) spans.push({ s: a.d[0], e: a.d[1], kind: 'dateline' });
    if (a.o) spans.push({ s: a.o[0], e: a.o[1], kind: 'signoff' });
    p[5].forEach(function (e) {
      for (var k = 4; k + 1 < e.length; k += 2) spans.push({ s: e[k], e: e[k + 1], kind: 'ev', ev: e, score: scores[e[0]] || 0 });
    });
    spans = spans.filter(function (sp) { return sp.s < end && sp.e > start || (sp.s === sp.e && sp.s >= start && sp.s <= end && sp.kind === 'ev'); })
      .map(function (sp, i) { return Object.assign(sp, { s: Math.max(start, sp.s), e: Math.min(end, Math.max(sp.s, sp.e)), order: i }); });
    nest(a.t, start, end, spans, text);
    p[3].forEach(function (t) { add(margin, chip(t, scores[t], false)); });
    var weak = p[4].filter(function (s) { return p[3].indexOf(s[0]) < 0; });
    if (weak.length) {
      add(margin, el('span', { 'class': 'muted', text: 'below threshold: ' + weak.map(function (s) { return topicCode(s[0]) + ' ' + fmt(s[1]); }).join(', ') }));
    }
    add(row, [text, margin]);
    return row;
  }

  // Lays out possibly overlapping spans as nested elements: a span that
  // must close while a later one is still open closes it, and the later
  // one goes on as a continuation (class "cont", without data-topic), so
  // each span has exactly one element that carries data-topic.
  function nest(textAll, start, end, spans, container) {
    spans.sort(function (x, y) { return x.s - y.s || y.e - x.e || x.order - y.order; });
    var stack = [];
    var pos = start, next = 0;
    function top() { return stack.length ? stack[stack.length - 1].node : container; }
    function open(sp, cont) {
      var node = spanNode(sp, cont);
      top().appendChild(node);
      stack.push({ sp: sp, node: node });
    }
    while (true) {
      var nextStart = next < spans.length ? spans[next].s : Infinity;
      var nextEnd = Infinity;
      stack.forEach(function (o) { nextEnd = Math.min(nextEnd, o.sp.e); });
      var at = Math.min(nextStart, nextEnd, end);
      if (at > pos) { top().appendChild(document.createTextNode(textAll.slice(pos, at))); pos = at; }
      if (nextEnd <= at) {
        // Close every span ending here; reopen the ones still running.
        var reopen = [];
        while (stack.some(function (o) { return o.sp.e <= at; })) {
          var o = stack.pop();
          if (o.sp.e > at) reopen.unshift(o.sp);
        }
        reopen.forEach(function (sp) { open(sp, true); });
        continue;
      }
      if (nextStart <= at && next < spans.length) { open(spans[next++], false); continue; }
      break;
    }
    if (pos < end) top().appendChild(document.createTextNode(textAll.slice(pos, end)));
  }

  function spanNode(sp, cont) {
    if (sp.kind !== 'ev') {
      var info = sp.kind === 'dateline' ? 'dateline (not scored)' : 'sign-off (not scored)';
      return el('span', { 'class': sp.kind, title: info });
    }
    var e = sp.ev, t = e[0];
    var attrs = {
      'class': 'ev t' + t + (e[3] ? ' neg' : '') + (cont ? ' cont' : ''),
      'data-code': topicCode(t),
      'data-rule': e[1],
      'data-term': e[2],
      'data-score': fmt(sp.score),
      tabindex: cont ? null : '0',
      'aria-describedby': 'tip'
    };
    attrs[cont ? 'data-cont' : 'data-topic'] = TOPICS[t];
    return el('mark', attrs);
  }

  function describe(mark) {
    var t = TOPICS.indexOf(mark.getAttribute('data-topic') || mark.getAttribute('data-cont'));
    var rule = mark.getAttribute('data-rule');
    var what = rule === 'term' ? 'term “' + mark.getAttribute('data-term') + '”'
      : rule === 'near' ? 'proximity rule “' + mark.getAttribute('data-term') + '”'
        : RULES[rule] || rule;
    return el('div', { 'class': 't' + t },
      el('span', { 'class': 'tcode', text: topicCode(t) }),
      topicName(t) + ' · ' + what + (mark.classList.contains('neg') ? ' (after a negation)' : '') +
      ' · paragraph score ' + mark.getAttribute('data-score'));
  }

  function showTip(target) {
    var mark = target && target.closest ? target.closest('mark.ev') : null;
    if (!mark || !main.contains(mark)) { tip.hidden = true; return; }
    var lines = [];
    for (var m = mark; m; m = m.parentElement.closest('mark.ev')) lines.push(describe(m));
    tip.replaceChildren.apply(tip, lines);
    tip.hidden = false;
    var r = mark.getBoundingClientRect();
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var x = Math.min(Math.max(4, r.left), window.innerWidth - w - 4);
    var y = r.bottom + 6 + h > window.innerHeight ? r.top - h - 6 : r.bottom + 6;
    tip.style.left = x + 'px';
    tip.style.top = Math.max(4, y) + 'px';
  }

  main.addEventListener('mouseover', function (e) { showTip(e.target); });
  main.addEventListener('mouseout', function (e) { if (!e.relatedTarget || !e.relatedTarget.closest || !e.relatedTarget.closest('mark.ev')) tip.hidden = true; });
  main.addEventListener('focusin', function (e) { showTip(e.target); });
  main.addEventListener('focusout', function () { tip.hidden = true; });
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') tip.hidden = true; });

  // ---- router ----

  // Timings on <html> for measurements: data-script-ms (navigation start to
  // this script, after the data was read), data-data-ms (parsing the data),
  // data-open-ms (navigation start to the first view drawn),
  // data-render-ms (the last view change).
  function render() {
    var started = performance.now();
    renderView();
    var root = document.documentElement;
    root.setAttribute('data-render-ms', Math.round(performance.now() - started));
    if (!root.hasAttribute('data-open-ms')) root.setAttribute('data-open-ms', Math.round(performance.now()));
  }

  function renderView() {
    tip.hidden = true;
    var s = readState();
    if (s.article !== null) {
      var index = findArticle(s);
      if (index >= 0) return renderArticle(index);
      setView('missing');
      main.replaceChildren(el('h1', { text: 'No such article' }), el('p', { 'class': 'empty', text: 'This report has no article with id ' + s.article + '.' }));
      return;
    }
    var listy = s.view === 'list' || s.topic || s.outlet || s.q || location.hash.indexOf('page=') >= 0 || location.hash.indexOf('sort=') >= 0;
    if (listy) return renderList(s);
    if (s.view !== 'overview' && ARTICLES.length === 1) return renderArticle(0);
    renderOverview();
  }

  document.getElementById('run-info').textContent =
    plural(ARTICLES.length, 'article') + ' · ' + DATA.generator + ' · lexicon: ' + DATA.lexicon;
  window.addEventListener('hashchange', render);
  render();
})();
