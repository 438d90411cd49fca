// The Handlebars templates of the site (reports/): one layout, the partials, one template per page kind,
// and the style sheet that is inlined into every page so a page is one self-contained file.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { ReportFailedError } from '../errors.js';

export interface Templates {
  renderPage(page: 'index' | 'client', title: string, context: object): string;
}

function readTemplate(path: string): string {
  if (!existsSync(path)) throw new ReportFailedError(`report template missing: ${path}`);
  return readFileSync(path, 'utf8');
}

/**
 * Loads and compiles every template under dir. Strict mode makes a template that names a field the page
 * does not have fail the render (and so the publish) instead of printing an empty cell.
 */
export function loadTemplates(dir: string): Templates {
  const handlebars = Handlebars.create();
  const compile = (path: string): Handlebars.TemplateDelegate => {
    try {
      // Compiling eagerly (precompile parses the whole template) surfaces syntax errors before any page renders.
      const source = readTemplate(path);
      handlebars.precompile(source, { strict: true });
      return handlebars.compile(source, { strict: true });
    } catch (error) {
      if (error instanceof ReportFailedError) throw error;
      throw new ReportFailedError(`report template ${path}: ${(error as Error).message}`);
    }
  };
  const partialsDir = join(dir, 'partials');
  if (existsSync(partialsDir)) {
    for (const file of readdirSync(partialsDir).filter((name) => name.endsWith('.hbs')).sort()) {
      handlebars.registerPartial(basename(file, '.hbs'), compile(join(partialsDir, file)));
    }
  }
  const layout = compile(join(dir, 'layouts', 'base.hbs'));
  const pages = {
    index: compile(join(dir, 'pages', 'index.hbs')),
    client: compile(join(dir, 'pages', 'client.hbs')),
  };
  const css = readTemplate(join(dir, 'style.css'));

  return {
    renderPage(page, title, context) {
      const template = pages[page];
      try {
        const body = template(context);
        return layout({ title, css, body });
      } catch (error) {
        throw new ReportFailedError(`rendering the ${page} page "${title}" failed: ${(error as Error).message}`);
      }
    },
  };
}
