import { bodyWhere, type LintRule, type RuleFinding } from '../view.js';

/** File types that run code when opened: mail providers reject or strip them. */
const EXECUTABLE = new Set([
  'exe',
  'scr',
  'com',
  'bat',
  'cmd',
  'pif',
  'cpl',
  'msi',
  'msp',
  'msc',
  'dll',
  'jar',
  'js',
  'jse',
  'vbs',
  'vbe',
  'wsf',
  'wsh',
  'ps1',
  'psm1',
  'hta',
  'lnk',
  'reg',
  'inf',
  'scf',
  'app',
  'sh',
  'apk',
  'iso',
  'img',
  'vhd',
  'vhdx',
  // Office files with macros
  'docm',
  'dotm',
  'xlsm',
  'xltm',
  'xlam',
  'pptm',
  'potm',
  'ppam',
  'ppsm',
  'sldm',
]);
const EXECUTABLE_TYPES = new Set([
  'application/x-msdownload',
  'application/x-msdos-program',
  'application/x-executable',
  'application/x-sh',
  'application/javascript',
  'application/x-javascript',
  'application/hta',
  'application/vnd.ms-word.document.macroenabled.12',
  'application/vnd.ms-excel.sheet.macroenabled.12',
]);

export const dangerousContent: LintRule = {
  id: 'dangerous-content',
  summary: '<script>, <form>, <iframe>, <object> in the HTML; executable or macro attachments',
  check(view) {
    const findings: RuleFinding[] = [];
    for (const element of view.html?.activeElements ?? []) {
      findings.push({
        severity: 'error',
        where: bodyWhere(view, 'text/html', element.line),
        message: `the HTML has a <${element.name}>${element.target ? ` (${element.target.slice(0, 60)})` : ''}; mail clients block it and filters treat it as an attack`,
        fix:
          element.name === 'form'
            ? 'Link to a form on your site instead.'
            : `Remove the <${element.name}>; link to the content on your site instead.`,
        evidence: `<${element.name}>`,
      });
    }
    for (const attachment of view.message.attachments) {
      const extension = /\.([a-z0-9]{1,5})$/i.exec(attachment.filename ?? '')?.[1]?.toLowerCase();
      if (!(extension && EXECUTABLE.has(extension)) && !EXECUTABLE_TYPES.has(attachment.mimeType)) continue;
      findings.push({
        severity: 'error',
        where: { area: 'attachment', name: attachment.filename ?? attachment.mimeType },
        message: `the attachment ${attachment.filename ?? `(${attachment.mimeType})`} is an executable or macro file; Gmail and most providers refuse such mail`,
        fix: 'Do not attach programs or macro documents; link to a download page, or send a PDF or macro-free document.',
        evidence: attachment.filename ?? attachment.mimeType,
      });
    }
    return findings;
  },
};
