import type { Command } from 'commander';
export function registerReport(program: Command): void {
  program.command('report').description('render the static HTML report pages');
}
