// The security corpus's harness contract inside a page that runs the built embed.js: an own,
// non-writable `window.__xss` sentinel and recorders for alert/confirm/prompt/print, installed
// before any other script; then one record at a time, shown by a fresh <colloquy-thread>.
// Plain browser JavaScript, added with Playwright's addInitScript.
(() => {
  const hits = [];
  Object.defineProperty(window, '__xss', { value: (id) => hits.push(String(id)), writable: false, configurable: false });
  const sentinel = window.__xss;
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    window[name] = (...args) => {
      hits.push(`${name}(${args.map(String).join(',')})`);
      return name === 'prompt' ? null : undefined;
    };
  }
  // Links that survive may be clicked below; the page must not navigate away.
  document.addEventListener('click', (event) => event.preventDefault(), { capture: true });

  const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;
  const NAME_INVISIBLES = /[\u200B-\u200F\u202A-\u202E\u2060-\u206F\u061C\uFEFF\u00AD]/;
  const SAFE_HREF = /^(?:https?|mailto):/i;
  const settle = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const words = (text) => text.match(/[\p{L}\p{N}]+/gu) ?? [];
  const shownText = (node) => (node.textContent ?? '').replace(/\s+/g, ' ');

  /** Text a browser would show for `html`, read from an inert template (nothing loads or runs). */
  function inertText(html) {
    const template = document.createElement('template');
    template.innerHTML = html;
    for (const hidden of template.content.querySelectorAll('script, style, template, noscript, title, textarea, xmp, iframe, noembed, noframes')) {
      hidden.remove();
    }
    return template.content.textContent ?? '';
  }

  /** Replaces the widget with a fresh one on `thread` and waits until it shows its comment. */
  async function show(thread, endpoint) {
    document.querySelector('colloquy-thread')?.remove();
    const element = document.createElement('colloquy-thread');
    element.setAttribute('endpoint', endpoint);
    element.setAttribute('thread', thread);
    document.body.append(element);
    const deadline = Date.now() + 10_000;
    for (;;) {
      const comment = element.shadowRoot?.querySelector('[part~="comment"]');
      if (comment?.querySelector('[part~="author"]')) return;
      const error = element.shadowRoot?.querySelector('[part~="status"][role="alert"]');
      if (error) throw new Error(`the widget showed an error: ${error.textContent}`);
      if (Date.now() > deadline) throw new Error('the widget did not show the comment within 10 s');
      await settle(10);
    }
  }

  /** Focus, hover and click every node of the comment, then run the record's trigger against it. */
  async function interact(nodes, trigger) {
    for (const element of nodes) {
      element.focus?.();
      for (const type of ['mouseover', 'mouseenter', 'mousemove', 'mousedown', 'mouseup']) {
        element.dispatchEvent(new MouseEvent(type, { bubbles: true, composed: true }));
      }
      element.click?.();
      element.blur?.();
    }
    if (trigger) {
      // The corpus gives the user interaction as code written against `document`; inside the
      // widget the comment lives in a shadow root, so the code sees that root as its document.
      const root = nodes[0]?.getRootNode() ?? document;
      const scoped = new Proxy(document, {
        get(target, key) {
          if (key === 'getElementsByTagName') return (tag) => root.querySelectorAll(tag);
          if (key === 'getElementById') return (id) => root.querySelector(`#${CSS.escape(id)}`);
          if (key === 'querySelector' || key === 'querySelectorAll') return root[key].bind(root);
          if (key === 'body' || key === 'documentElement') return root.querySelector('[part~="comment"]');
          const value = Reflect.get(target, key);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      try {
        // Test harness only: the corpus gives the user interaction as code to run.
        new Function('document', trigger)(scoped);
      } catch {
        // What the trigger reaches for was removed by sanitizing: nothing to interact with.
      }
    }
  }

  /**
   * Shows one record's thread and checks it. `expected` carries what Node computed: the name
   * the widget must show, the allowed tags and link rel, and whether the body was stored.
   * Returns a list of failures (empty when the record passes).
   */
  async function run(record, payload, expected) {
    const failures = [];
    const fail = (message) => failures.push(message);
    hits.length = 0;
    const headBefore = document.head.children.length;
    await show(expected.thread, expected.endpoint);
    const element = document.querySelector('colloquy-thread');
    const comment = element.shadowRoot.querySelector('[part~="comment"]');
    const body = comment.querySelector('[part~="body"]');
    const author = comment.querySelector('[part~="author"]');
    await settle(15);
    if (record.tags.includes('interaction') || record.trigger) {
      await interact([author, body, ...body.querySelectorAll('*')], record.trigger);
      await settle(60);
    }

    if (hits.length > 0) fail(`script ran: ${hits.join(' ')}`);
    if (window.__xss !== sentinel) fail('the sentinel was clobbered');
    if (typeof document.getElementById !== 'function') fail('document.getElementById was clobbered');
    if (document.head.children.length !== headBefore) fail('something was added to <head>');
    for (const node of element.shadowRoot.querySelectorAll('script[src], link, base, meta, iframe, object, embed, img, svg, style:not([data-colloquy])')) {
      if (body.contains(node) || author.contains(node)) fail(`<${node.tagName.toLowerCase()}> reached the comment`);
    }

    // The body: only the allowlist's elements, only href and rel, only safe link schemes.
    for (const node of body.querySelectorAll('*')) {
      if (!expected.allowedTags.includes(node.tagName.toLowerCase())) fail(`body: <${node.tagName.toLowerCase()}> survived`);
      for (const attribute of node.attributes) {
        if (attribute.name !== 'href' && attribute.name !== 'rel') fail(`body: attribute ${attribute.name} survived`);
      }
      if (node.tagName === 'A') {
        if (!SAFE_HREF.test(node.getAttribute('href') ?? '')) fail(`body: link to ${node.getAttribute('href')}`);
        if (node.getAttribute('rel') !== expected.linkRel) fail(`body: link rel ${node.getAttribute('rel')}`);
      }
    }
    if (BIDI_CONTROLS.test(shownText(body))) fail('body: a bidi control reached the text');

    // The name: one isolated text node, exactly what displayText makes of what was stored.
    // (Lit's template markers are comment nodes; anything else but text is a failure.)
    if ([...author.childNodes].some((node) => node.nodeType !== Node.TEXT_NODE && node.nodeType !== Node.COMMENT_NODE)) fail('name: holds more than text');
    if (author.textContent !== expected.name) fail(`name: shown ${JSON.stringify(author.textContent.slice(0, 60))}, expected ${JSON.stringify(expected.name.slice(0, 60))}`);
    if (NAME_INVISIBLES.test(author.textContent)) fail('name: an invisible or bidi character is shown');
    if (getComputedStyle(author).unicodeBidi !== 'isolate') fail('name: not bidi-isolated');

    if (expected.bodyStored) {
      let expectedWords = [];
      if (record.kind === 'control') {
        expectedWords = record.field === 'markdown' ? words(payload.replace(/\]\([^)]*\)/g, ']')) : words(inertText(payload));
      } else if (record.kind === 'probe' && record.tags.some((tag) => tag === 'double-decode' || tag === 'entity' || tag === 'md-code')) {
        expectedWords = words(inertText(payload));
      }
      const shown = shownText(body);
      for (const word of expectedWords) if (!shown.includes(word)) fail(`body: "${word}" was lost`);
      // A label spoofing another destination: the reader sees the host the link really goes to.
      if (record.kind === 'probe' && record.tags.includes('md-link') && record.tags.includes('spoofing')) {
        for (const link of body.querySelectorAll('a')) {
          const host = new URL(link.href).hostname;
          if (!link.textContent.includes(host)) fail(`body: the link to ${host} does not show its host`);
        }
      }
      if (record.kind === 'control' && record.field === 'markdown') {
        for (const match of payload.matchAll(/\]\(([^)\s]+)/g)) {
          if (SAFE_HREF.test(match[1]) && !body.querySelector(`a[href="${CSS.escape(match[1])}"]`)) fail(`body: link to ${match[1]} lost`);
        }
      }
    }
    return failures;
  }

  /** Proves a hit would be seen (unsanitized on purpose), so the passes mean something. */
  async function selfTest() {
    hits.length = 0;
    const probe = document.createElement('div');
    probe.innerHTML = '<img src="/missing.png" onerror="window.__xss(1)"><b onmouseover="window.__xss(2)">x</b>';
    document.body.append(probe);
    await interact([probe.querySelector('b')], 'alert(3)');
    for (let i = 0; i < 100 && hits.length < 3; i++) await settle(20);
    probe.remove();
    const seen = [...hits].sort();
    hits.length = 0;
    return seen;
  }

  window.__harness = { run, selfTest };
})();
