using Pretzel.Server;

var app = ServerHost.Build(args);
await app.RunAsync().ConfigureAwait(false);

/// <summary>Entry point of <c>Pretzel.Server</c> (also started by <c>pretzel serve</c>).</summary>
public partial class Program;
