using System.CommandLine;
using Pretzel.Cli;
using Pretzel.Cli.Commands;

return await PretzelCli.RunAsync(args).ConfigureAwait(false);
