// What a person never sees stays out of the text: elements hidden by their attributes or inline styles, template
// and noscript, and text coloured like its background, converted by a real document worker.
import { describe, expect, it } from 'vitest';
import { createDocuments } from '../../shared/documents/documents.js';

const documents = createDocuments();
const text = async (html: string) => (await documents.convert({ format: 'html', content: html, name: 'test', maxChars: 64_000 }, new AbortController().signal)).text;

/** The text of `<p>shown <X>SECRET</X> shown</p>`-like HTML: what it shows, and whether the secret got through. */
async function shows(html: string): Promise<string> {
  return text(`<html><body><p>before</p>${html}<p>after</p></body></html>`);
}

describe('hidden elements are left out', () => {
  it.each([
    ['the hidden attribute', '<div hidden>SECRET</div>'],
    ['hidden="until-found"', '<div hidden="until-found">SECRET</div>'],
    ['template', '<template><p>SECRET</p></template>'],
    ['noscript', '<noscript><p>SECRET</p></noscript>'],
    ['display:none', '<div style="display:none">SECRET</div>'],
    ['display: NONE !important, spaced and upper-case', '<span style="COLOR: red; Display : NONE !important">SECRET</span>'],
    ['display:none after a comment', '<span style="/* x */ display:/* y */none">SECRET</span>'],
    ['visibility:hidden', '<span style="visibility:hidden">SECRET</span>'],
    ['visibility:collapse', '<span style="visibility:collapse">SECRET</span>'],
    ['opacity:0', '<span style="opacity:0">SECRET</span>'],
    ['opacity:2%', '<span style="opacity:2%">SECRET</span>'],
    ['font-size:0', '<span style="font-size:0">SECRET</span>'],
    ['font-size:0px', '<span style="font-size:0px">SECRET</span>'],
    ['font-size:1px', '<span style="font-size:1px">SECRET</span>'],
    ['font-size:0.1em', '<span style="font-size:0.1em">SECRET</span>'],
    ['zero height with overflow hidden', '<div style="height:0;overflow:hidden">SECRET</div>'],
    ['zero width with overflow clip', '<div style="max-width:0px;overflow-x:clip">SECRET</div>'],
    ['clipped to nothing', '<div style="position:absolute;clip:rect(0,0,0,0)">SECRET</div>'],
    ['clip-path inset 50%', '<div style="clip-path:inset(50%)">SECRET</div>'],
    ['moved off the page', '<div style="position:absolute;left:-10000px">SECRET</div>'],
    ['text-indent off the page', '<div style="text-indent:-9999px">SECRET</div>'],
    ['scaled to nothing', '<div style="transform:scale(0)">SECRET</div>'],
    ['inside a hidden parent, however deep', '<div style="display:none"><p><b><i>SECRET</i></b></p></div>'],
  ])('%s', async (_name, html) => {
    const shown = await shows(html);
    expect(shown).not.toContain('SECRET');
    expect(shown).toMatch(/before[\s\S]*after/);
  });

  it('keeps what styles do not hide', async () => {
    const shown = await shows('<span style="display:inline-block;color:red;font-size:12px;opacity:0.9;height:0">KEPT-1</span><div style="overflow:hidden;width:200px">KEPT-2</div><div hidden="" style="display:block">GONE</div>');
    expect(shown).toContain('KEPT-1');
    expect(shown).toContain('KEPT-2');
    expect(shown).not.toContain('GONE');
  });
});

describe('text coloured like its background is left out', () => {
  it.each([
    ['white on the page', '<span style="color:#fff">SECRET</span>'],
    ['white named, on the page', '<span style="color:White">SECRET</span>'],
    ['near white', '<span style="color:rgb(250, 250, 250)">SECRET</span>'],
    ['the colour of its own background', '<span style="color:#123456;background-color:#123456">SECRET</span>'],
    ['the colour of an ancestor\'s background', '<div style="background:#003366 url(x.png)"><p><span style="color:rgb(0,51,102)">SECRET</span></p></div>'.replace(' url(x.png)', '')],
    ['a bgcolor attribute', '<table bgcolor="black"><tr><td><font color="#000000">SECRET</font></td></tr></table>'],
    ['transparent', '<span style="color:transparent">SECRET</span>'],
    ['fully translucent', '<span style="color:rgba(0,0,0,0)">SECRET</span>'],
    ['hsl white', '<span style="color:hsl(0, 0%, 100%)">SECRET</span>'],
    ['inherited by children without styles', '<div style="color:#fefefe"><p><b>SECRET</b> <a href="https://example.com/SECRET-LINK">SECRET</a></p></div>'],
    ['in preformatted text', '<pre style="color:white">SECRET</pre>'],
    ['inside preformatted text', '<pre>visible <span style="color:white">SECRET</span></pre>'],
    ['in a table cell laid out as a grid', '<table><tr><td>a</td><td style="color:#fff">SECRET</td></tr></table>'],
    ['in a table row laid out as a grid', '<table><tr style="color:#fff"><td>SECRET</td></tr><tr><td>b</td></tr></table>'],
  ])('%s', async (_name, html) => {
    const shown = await shows(html);
    expect(shown).not.toContain('SECRET');
    expect(shown).toMatch(/before[\s\S]*after/);
  });

  it('keeps light text on a dark background, and dark text on a light one', async () => {
    const shown = await shows('<div style="background-color:#000"><span style="color:#fff">KEPT-1</span></div><div style="color:white"><p style="background:navy">KEPT-2</p></div><p style="color:#333">KEPT-3</p>');
    expect(shown).toContain('KEPT-1');
    expect(shown).toContain('KEPT-2');
    expect(shown).toContain('KEPT-3');
  });

  it('does not judge colours where a stylesheet may paint the background: a class, an image, a page with its own styles', async () => {
    expect(await shows('<div class="dark"><span style="color:#fff">KEPT</span></div>')).toContain('KEPT');
    expect(await shows('<div style="background-image:url(dark.png)"><span style="color:#fff">KEPT</span></div>')).toContain('KEPT');
    expect(await text('<html><head><style>body{background:#000}</style></head><body><p style="color:#fff">KEPT</p></body></html>')).toContain('KEPT');
  });
});

describe('hidden parts of tables', () => {
  it('leaves out hidden rows and cells, in a grid and in a table too large for one', async () => {
    const small = '<table><tr><td>a</td><td style="display:none">SECRET</td></tr><tr hidden><td>SECRET</td></tr><tbody style="display:none"><tr><td>SECRET</td></tr></tbody><tr><td>b</td></tr></table>';
    const rows = Array.from({ length: 150 }, (_, index) => `<tr><td>row${index}</td><td style="visibility:hidden">SECRET</td></tr>`).join('');
    const large = `<table>${rows}<tr style="display:none"><td>SECRET</td></tr></table>`;
    for (const html of [small, large]) {
      const shown = await shows(html);
      expect(shown).not.toContain('SECRET');
      expect(shown).toMatch(/a|row0/);
    }
  });
});

describe('what is not detected', () => {
  it('text hidden by a stylesheet rule or class is kept (the README says so)', async () => {
    expect(await text('<html><head><style>.x{display:none}</style></head><body><p class="x">STYLESHEET</p></body></html>')).toContain('STYLESHEET');
  });
});
