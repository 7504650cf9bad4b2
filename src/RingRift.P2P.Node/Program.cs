using RingRift.P2P.Node.Cli;
using RingRift.P2P.Node.Hosting;

// ringrift-p2p: run | status | work add/list | local-cluster (see Cli/).
SqliteNativeLibrary.UseEmbedded(); // the native executable carries SQLite inside it
return await CliApp.RunAsync(args);
