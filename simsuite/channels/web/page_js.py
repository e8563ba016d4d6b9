"""What the web channel asks the page, as JavaScript run in it: what a person sees, and where things are.

Every name is read the way assistive technology and a person read it: the accessible name (aria-label,
aria-labelledby, the label, the visible text, a value, a title, an image's alt), with icon-font glyphs
(Unicode private-use characters) and extra whitespace removed. A field's names also include its
placeholder, its `name`, and the text next to it when nothing labels it.
"""

HELPERS_JS = r"""
  const PUA = /[\uE000-\uF8FF]|[\uDB80-\uDBFF][\uDC00-\uDFFF]/g;
  const clean = s => (s || '').replace(PUA, ' ').replace(/\s+/g, ' ').trim();
  const visible = e => {
    if (!e || !(e.offsetWidth || e.offsetHeight || e.getClientRects().length)) return false;
    const s = getComputedStyle(e);
    return s.visibility !== 'hidden' && s.display !== 'none';
  };
  const byIds = ids => (ids || '').split(/\s+/).map(id => document.getElementById(id)).filter(Boolean)
    .map(e => e.innerText || e.textContent).join(' ');
  const headingsOf = f => {
    // every name a person may call a form by: its own label, its legend or heading, the heading above it
    if (!f) return [];
    const names = [clean(f.getAttribute('aria-label') || byIds(f.getAttribute('aria-labelledby')))];
    const inside = f.querySelector('legend, h1, h2, h3, h4, h5, h6');
    names.push(inside ? clean(inside.innerText) : '');
    let at = f, above = '';
    for (let up = 0; up < 4 && at && !above; up++, at = at.parentElement) {
      for (let sib = at.previousElementSibling; sib && !above; sib = sib.previousElementSibling) {
        const h = sib.matches('h1, h2, h3, h4, h5, h6, legend') ? sib : sib.querySelector('h1, h2, h3, h4, h5, h6');
        if (h && clean(h.innerText)) above = clean(h.innerText);
      }
    }
    names.push(above, clean(f.getAttribute('name') || f.id || ''));
    return names.filter(Boolean).filter((n, i, all) => all.indexOf(n) === i);
  };
  const headingOf = f => headingsOf(f)[0] || '';
  const isSearch = f => !!f && (f.getAttribute('role') === 'search' || !!f.closest('[role=search]')
    || (f.querySelectorAll('input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea').length === 1
        && !!f.querySelector('input[type=search], input[name=q], input[name=query], input[name=search], input[name=s]')));
  const CONTROLS = 'input, select, textarea, button';
  const nearText = e => {
    // the words a person reads beside a field nothing labels: just before it, in its cell, or in the cell
    // before its own (a <dt> before its <dd>, a <th> before its <td>, a label column before the input's)
    let at = e;
    for (let up = 0; up < 3 && at && at.tagName !== 'FORM'; up++, at = at.parentElement) {
      let prev = at.previousSibling;
      while (prev && prev.nodeType === 3 && !prev.textContent.trim()) prev = prev.previousSibling;
      // the words before a field's group are another field's, not this one's
      if (prev && prev.nodeType === 1 && (prev.matches(CONTROLS) || prev.querySelector(CONTROLS))) break;
      if (prev && (prev.nodeType === 3 || prev.nodeType === 1)) {
        const words = clean(prev.textContent);
        if (words && words.length <= 80) return words;
      }
      if (at !== e && clean(at.innerText) && clean(at.innerText).length <= 80) return clean(at.innerText);
    }
    return '';
  };
  const CHROME = 'nav, [role=navigation], header, [role=banner], footer, [role=contentinfo], #header, #footer, '
    + '#site-header, #site-footer, #page-footer, #menu, #nav, .site-header, .site-footer, .page-footer, .footer, '
    + '.navbar, [class*=cookie-banner i], [id*=cookie-banner i], [class*=cookie-consent i], [id*=cookie-consent i], '
    + '[class*=consent-banner i], [id*=consent-banner i], #onetrust-banner-sdk, #CybotCookiebotDialog, '
    + '[aria-label^="cookies on" i]';
  const HEADINGS = () => Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6, legend, [role=heading]'));
  const sectionOf = (e, headings) => {
    let found = '';
    for (const h of headings) {
      if (h.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING) found = clean(h.innerText);
      else break;
    }
    return found;
  };
  const required = e => e.required || e.getAttribute('aria-required') === 'true'
    || /\*|\(required\)/i.test(clean(e.labels && e.labels[0] ? e.labels[0].innerText : ''));
  const fieldNames = e => {
    const label = e.labels && e.labels.length ? clean(Array.from(e.labels).map(l => l.innerText).join(' ')) : '';
    const names = [label, clean(e.getAttribute('aria-label')), clean(byIds(e.getAttribute('aria-labelledby')))];
    if (!names.some(Boolean) && !['checkbox', 'radio'].includes(e.type)) names.push(nearText(e));
    if (!names.some(Boolean) && ['checkbox', 'radio'].includes(e.type) && e.nextSibling)
      names.push(clean(e.nextSibling.textContent));
    names.push(clean(e.placeholder), clean(e.title), clean(e.name), clean(e.id));
    return names.filter(Boolean).filter((n, i, all) => all.indexOf(n) === i);
  };
  const controlName = e => clean(e.getAttribute('aria-label') || byIds(e.getAttribute('aria-labelledby'))
    || e.innerText || e.value || e.title || (e.querySelector('img[alt]') || {}).alt || e.getAttribute('alt') || '');
  const FIELDS = 'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=image]):not([type=reset]), '
    + 'select, textarea';
  const CLICKABLES = 'a[href], button, input[type=submit], input[type=button], input[type=image], '
    + '[role=button], [role=link], summary';
"""

# Every visible control or field of one kind, each marked with an attribute (data-simsuite-control="c3",
# data-simsuite-field="f1") so the browser can act on the one chosen; a submit button says whether the
# browser would refuse its form as it stands.
SCAN_JS = r"""
  const blockedBy = (e) => {
    const form = e && (e.form || e.closest('form'));
    if (!form || form.noValidate || (e.formNoValidate)) return null;
    const bad = Array.from(form.elements).find(f => f.willValidate && !f.checkValidity());
    if (!bad) return null;
    const PUA = /[\uE000-\uF8FF]/g;
    const label = ((bad.labels && bad.labels[0] && bad.labels[0].innerText) || bad.getAttribute('aria-label')
                   || bad.placeholder || bad.name || '').replace(PUA, ' ').replace(/\s+/g, ' ').trim();
    return {label: label, message: bad.validationMessage};
  };
  const scan = (kind) => {
    const attr = 'data-simsuite-' + kind;
    document.querySelectorAll('[' + attr + ']').forEach(e => e.removeAttribute(attr));
    const all = Array.from(document.querySelectorAll(kind === 'field' ? FIELDS : CLICKABLES)).filter(visible);
    const headings = HEADINGS();
    return all.map((e, i) => {
      const ref = kind[0] + String(i);
      e.setAttribute(attr, ref);
      const form = e.form || e.closest('form');
      const submits = !!form && (e.type === 'submit' || e.type === 'image'
                                 || (e.tagName === 'BUTTON' && (e.getAttribute('type') || 'submit') === 'submit'));
      return {
        ref: ref,
        names: kind === 'field' ? fieldNames(e) : [controlName(e)].filter(Boolean),
        tag: e.tagName.toLowerCase(),
        type: (e.type || '').toLowerCase(),
        href: e.href || '',
        form: form ? headingOf(form) : '',
        formNames: form ? headingsOf(form) : [],
        section: e.closest(CHROME) ? '' : sectionOf(e, headings),
        formIndex: form ? Array.from(document.forms).indexOf(form) : -1,
        submits: submits,
        blocked: submits ? blockedBy(e) : null,
        options: e.tagName === 'SELECT' ? Array.from(e.options).map(o => o.label) : [],
        required: kind === 'field' ? required(e) : false,
      };
    });
  };
"""

OBSERVE_JS = "() => {" + HELPERS_JS + SCAN_JS + r"""
  const h1 = document.querySelector('h1');
  const shownForms = Array.from(document.forms).filter(f => visible(f) && !isSearch(f));
  const primary = shownForms.find(f => !h1 || (h1.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING));
  const forms = shownForms.map(f => ({
    name: headingOf(f),
    primary: f === primary,
    fields: Array.from(f.querySelectorAll(FIELDS)).filter(visible)
      .map(e => ({label: fieldNames(e)[0] || '', required: required(e), type: e.type || e.tagName.toLowerCase(),
                  filled: ['checkbox', 'radio'].includes(e.type) ? e.checked : !!e.value})),
  })).filter(f => f.fields.length);
  const shown = Array.from(document.querySelectorAll(FIELDS)).filter(visible);
  const nav = performance.getEntriesByType('navigation')[0];
  const chrome = Array.from(document.querySelectorAll(CHROME))
    .filter(e => e.parentElement && !e.parentElement.closest('main, [role=main], article, ' + CHROME));
  const bodyText = document.body ? document.body.innerText : '';
  let content = bodyText;
  // the summary under a heading that is only a link ("Lost or stolen cards" / "Freeze your card in the app")
  // tells about another page, not this customer's step
  const teasers = [];
  for (const h of document.querySelectorAll('h2, h3, h4, h5, h6')) {
    const a = h.querySelector('a[href]');
    if (!a || clean(a.innerText) !== clean(h.innerText)) continue;
    for (let s = h.nextElementSibling; s && s.tagName === 'P'; s = s.nextElementSibling) teasers.push(s);
  }
  for (const e of chrome.concat(teasers)) {
    const words = e.innerText;
    if (words && words.trim() && (chrome.includes(e) || words.length <= 300)) content = content.replace(words, '\n');
  }
  return {
    text: bodyText,
    content: content,
    title: document.title,
    heading: clean((document.querySelector('main h1, h1') || document.querySelector('h2') || {}).innerText || ''),
    clickables: Array.from(document.querySelectorAll(CLICKABLES)).filter(visible).map(controlName).filter(Boolean),
    fields: shown.map(e => fieldNames(e)[0] || ''),
    forms: forms,
    options: Object.fromEntries(shown.filter(e => e.tagName === 'SELECT')
      .map(e => [fieldNames(e)[0] || '', Array.from(e.options).map(o => o.label)])),
    errors: Array.from(document.querySelectorAll(
        '[role=alert], .errorlist, .errors, .error-message, .invalid-feedback, .alert-danger, .field-error, '
        + '.form-error, .help-block.error'))
      .filter(visible).map(e => clean(e.innerText)).filter(Boolean)
      .concat(Array.from(document.querySelectorAll('[aria-invalid=true]')).filter(visible)
        .map(e => clean(byIds(e.getAttribute('aria-describedby')))).filter(Boolean))
      .filter((m, i, all) => all.indexOf(m) === i),
    path: location.pathname,
    document: performance.timeOrigin,
    status: nav && nav.responseStatus ? nav.responseStatus : null,
    candidates: {control: scan('control'), field: scan('field')},
  };
}"""

CANDIDATES_JS = "(kind) => {" + HELPERS_JS + SCAN_JS + "  return scan(kind);\n}"

BLOCKED_JS = "(ref) => {" + HELPERS_JS + SCAN_JS + r"""
  return blockedBy(document.querySelector(`[data-simsuite-control="${ref}"]`));
}"""

SETTLED_JS = r"""() => {
  if (!document.body) return '';
  const busy = document.querySelector('[aria-busy=true]')
    || /\b(is typing|typing|loading|searching|sending|please wait)\s*(\u2026|\.\.\.)/i.test(document.body.innerText);
  return (busy ? 'busy:' : '') + document.body.innerText.length + ':' + document.querySelectorAll('*').length;
}"""

# The functions above, installed once in every document of a browser context (an init script), so each look
# at a page sends a name instead of the whole script; a page opened before the install gets the script.
INSTALLED = "__simsuite_page_js_1__"
INSTALL_JS = (f"Object.defineProperty(window, '{INSTALLED}', {{value: Object.freeze({{observe: {OBSERVE_JS}, "
              f"candidates: {CANDIDATES_JS}, blocked: {BLOCKED_JS}, settled: {SETTLED_JS}}}), writable: false, "
              "configurable: false});")
CALL_JS = f"([name, arg]) => window.{INSTALLED} ? [true, window.{INSTALLED}[name](arg)] : [false, null]"
SCRIPTS = {"observe": OBSERVE_JS, "candidates": CANDIDATES_JS, "blocked": BLOCKED_JS, "settled": SETTLED_JS}
