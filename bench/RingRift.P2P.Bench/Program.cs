using RingRift.P2P.Bench;

// One console program, one sub-command per benchmark; each prints JSON lines on stdout.
return args.FirstOrDefault() switch
{
    "sqlite-claims" => await SqliteClaimBench.RunAsync(args[1..], Console.Out),
    "status-latency" => await StatusLatencyBench.RunAsync(args[1..], Console.Out),
    "failover" => await FailoverBench.RunAsync(args[1..], Console.Out),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: RingRift.P2P.Bench <sqlite-claims|status-latency|failover> [options]");
    Console.Error.WriteLine("  sqlite-claims  [--items N] [--claimers K]");
    Console.Error.WriteLine("  status-latency [--rate R] [--seconds S] [--concurrency C]");
    Console.Error.WriteLine("  failover       [--kills N] [--heartbeat S] [--peer-timeout S] [--lease S]");
    return 2;
}
