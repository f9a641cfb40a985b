import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AlignmentType, Document, Footer, Header, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import PDFDocument from 'pdfkit';
import { clip as clipUnits } from '../../lib/unicode.ts';
import { safeText } from './reports.text.ts';

/**
 * One neutral document shape, rendered to PDF (pdfkit, with embedded DejaVu Sans: French accents, Latin
 * Extended, Greek and Cyrillic) and to DOCX (docx). Builders make blocks; these renderers never see an
 * incident, so the PDF and the Word file always say the same thing.
 */
export type Block =
  | { kind: 'h1' | 'h2' | 'p' | 'small'; text: string }
  | { kind: 'kv'; key: string; value: string }
  | { kind: 'item'; text: string; detail?: string };

export interface RenderableDocument {
  /** Document title (PDF metadata, DOCX title). */
  title: string;
  /** Printed at the top of every page. */
  header: string;
  /** Printed at the bottom of every page (classification line). */
  footer: string;
  /** `Page` in the reader's language. */
  pageWord: string;
  lang: string;
  blocks: Block[];
}

const fontDir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FONT = join(fontDir, 'DejaVuSans.ttf');
const FONT_BOLD = join(fontDir, 'DejaVuSans-Bold.ttf');

/** Very long unbroken text would make pdfkit lay out one glyph per line for pages: cut runs at 2,000. */
const MAX_BLOCK = 20_000;
function clip(s: string, max = MAX_BLOCK): string {
  const t = safeText(s);
  // Never half a character: a cut inside a surrogate pair would print a replacement glyph.
  return t.length > max ? `${clipUnits(t, max)}…` : t;
}

export function renderPdf(d: RenderableDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margins: { top: 60, bottom: 60, left: 56, right: 56 },
      bufferPages: true,
      lang: d.lang,
      info: { Title: clip(d.title, 300), Creator: 'Outpost', Producer: 'Outpost' },
      pdfVersion: '1.7',
      displayTitle: true,
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      doc.registerFont('body', FONT);
      doc.registerFont('bold', FONT_BOLD);
      const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
      for (const b of d.blocks) {
        switch (b.kind) {
          case 'h1':
            doc.font('bold').fontSize(16).fillColor('#111').text(clip(b.text), { width });
            doc.moveDown(0.4);
            break;
          case 'h2':
            doc.moveDown(0.6);
            doc.font('bold').fontSize(12.5).fillColor('#111').text(clip(b.text), { width });
            doc.moveDown(0.2);
            break;
          case 'p':
            doc.font('body').fontSize(10).fillColor('#111').text(clip(b.text), { width });
            doc.moveDown(0.35);
            break;
          case 'small':
            doc.font('body').fontSize(8.5).fillColor('#444').text(clip(b.text), { width });
            doc.moveDown(0.3);
            break;
          case 'kv':
            doc
              .font('bold')
              .fontSize(10)
              .fillColor('#111')
              .text(`${clip(b.key)}: `, { continued: true, width });
            doc.font('body').text(clip(b.value) || '—');
            break;
          case 'item':
            doc
              .font('body')
              .fontSize(10)
              .fillColor('#111')
              .text(`• ${clip(b.text)}`, { width, indent: 0 });
            if (b.detail) doc.font('body').fontSize(8.5).fillColor('#444').text(clip(b.detail), { width, indent: 12 });
            doc.moveDown(0.25);
            break;
        }
      }
      const range = doc.bufferedPageRange();
      for (let i = range.start; i < range.start + range.count; i++) {
        doc.switchToPage(i);
        const { top, bottom, left } = doc.page.margins;
        doc.page.margins.top = 0;
        doc.page.margins.bottom = 0;
        doc
          .font('body')
          .fontSize(8)
          .fillColor('#555')
          .text(clip(d.header, 300), left, 28, { width, lineBreak: false, ellipsis: true, height: 12 });
        doc.text(`${clip(d.footer, 200)}   ${d.pageWord} ${i + 1}/${range.count}`, left, doc.page.height - 40, {
          width,
          lineBreak: false,
          ellipsis: true,
          height: 12,
        });
        doc.page.margins.top = top;
        doc.page.margins.bottom = bottom;
      }
      doc.end();
    } catch (e) {
      reject(e);
    }
  });
}

function runs(text: string, opts: { bold?: boolean; size?: number; color?: string } = {}): TextRun[] {
  // A line break inside a paragraph is a break in Word too.
  return clip(text)
    .split('\n')
    .map(
      (line, i) =>
        new TextRun({
          text: line,
          ...(i > 0 ? { break: 1 } : {}),
          ...(opts.bold ? { bold: true } : {}),
          ...(opts.size ? { size: opts.size } : {}),
          ...(opts.color ? { color: opts.color } : {}),
        }),
    );
}

export async function renderDocx(d: RenderableDocument): Promise<Buffer> {
  const children: Paragraph[] = d.blocks.map((b) => {
    switch (b.kind) {
      case 'h1':
        return new Paragraph({ heading: HeadingLevel.HEADING_1, children: runs(b.text) });
      case 'h2':
        return new Paragraph({ heading: HeadingLevel.HEADING_2, children: runs(b.text) });
      case 'p':
        return new Paragraph({ children: runs(b.text), spacing: { after: 120 } });
      case 'small':
        return new Paragraph({ children: runs(b.text, { size: 17, color: '444444' }) });
      case 'kv':
        return new Paragraph({ children: [...runs(`${b.key}: `, { bold: true }), ...runs(b.value || '—')] });
      default:
        return new Paragraph({
          bullet: { level: 0 },
          children: [
            ...runs(b.text),
            ...(b.detail
              ? [new TextRun({ text: '', break: 1 }), ...runs(b.detail, { size: 17, color: '444444' })]
              : []),
          ],
        });
    }
  });
  const doc = new Document({
    creator: 'Outpost',
    title: clip(d.title, 300),
    styles: { default: { document: { run: { font: 'DejaVu Sans', size: 20 } } } },
    sections: [
      {
        headers: {
          default: new Header({
            children: [new Paragraph({ children: runs(d.header, { size: 16, color: '555555' }) })],
          }),
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: runs(d.footer, { size: 16, color: '555555' }),
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
