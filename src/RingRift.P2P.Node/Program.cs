using RingRift.P2P.Node.Cli;

// ringrift-p2p: run | status | work add/list | local-cluster (see Cli/).
return await CliApp.RunAsync(args);
