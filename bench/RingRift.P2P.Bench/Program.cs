using RingRift.P2P.Bench;

// One console program, one sub-command per benchmark; each prints JSON lines on stdout.
return args.FirstOrDefault() switch
{
    "sqlite-claims" => await SqliteClaimBench.RunAsync(args[1..], Console.Out),
    "status-latency" => await StatusLatencyBench.RunAsync(args[1..], Console.Out),
    "failover" => await FailoverBench.RunAsync(args[1..], Console.Out),
    "swim-sim" => await SwimSimBench.RunAsync(args[1..], Console.Out),
    "swim-dissemination" => await SwimDisseminationBench.RunAsync(args[1..], Console.Out),
    "swim-kill" => await SwimKillBench.RunAsync(args[1..], Console.Out),
    "netns-swim" => await NetnsSwimBench.RunAsync(args[1..], Console.Out),
    "raft-claims" => await RaftClaimsBench.RunAsync(args[1..], Console.Out),
    "raft-failover" => await RaftFailoverBench.RunAsync(args[1..], Console.Out),
    "dispatch" => await DispatchBench.RunAsync(args[1..], Console.Out),
    "sync" => await SyncBench.RunAsync(args[1..], Console.Out),
    "requeue" => await RequeueBench.RunAsync(args[1..], Console.Out),
    "metrics-scrape" => await MetricsScrapeBench.RunAsync(args[1..], Console.Out),
    "metrics-record-cost" => await MetricsRecordCostBench.RunAsync(args[1..], Console.Out),
    "footprint" => await FootprintBench.RunAsync(args[1..], Console.Out),
    "replica-position" => await ReplicaPositionBench.RunAsync(args[1..], Console.Out),
    "soak" => await SoakBench.RunAsync(args[1..], Console.Out),
    "swim-member" => await SwimMemberCommand.RunAsync(args[1..], Console.In, Console.Out), // hidden: swim-kill's child process
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: RingRift.P2P.Bench <sqlite-claims|status-latency|failover|swim-sim|swim-dissemination|swim-kill|netns-swim|raft-claims|raft-failover|dispatch|sync|requeue|metrics-scrape|metrics-record-cost|footprint|replica-position|soak> [options]");
    Console.Error.WriteLine("  sqlite-claims  [--items N] [--claimers K] [--dependent-percent P]");
    Console.Error.WriteLine("  status-latency [--rate R] [--seconds S] [--concurrency C]");
    Console.Error.WriteLine("  failover       [--kills N] [--heartbeat S] [--peer-timeout S] [--lease S] [--node-program PATH]");
    Console.Error.WriteLine("  swim-sim       --mode detect [--nodes N] [--trials T] [--per-cluster P] [--steady S] [--loss P] [--preset default|seed|lan] [--seed S]");
    Console.Error.WriteLine("  swim-sim       --mode false-positives [--nodes N] [--hours H] [--loss P] [--preset ...]");
    Console.Error.WriteLine("  swim-sim       --mode cost [--nodes N] [--seconds S] [--loss P] [--preset ...]");
    Console.Error.WriteLine("  swim-dissemination [--nodes N] [--trials T] [--per-cluster K] [--loss P] [--fraction F] [--preset ...] [--seed S] [--per-trial]");
    Console.Error.WriteLine("  swim-kill      [--nodes N] [--kills K] [--steady S] [--preset default|seed|lan] [--seed S]");
    Console.Error.WriteLine("  netns-swim     [--nodes 8] [--kills 10] [--loss 0,5,10,20] [--no-kill-minutes M] [--steady S] [--sim-trials T] [--seed S] [--node-program PATH]  (root: network namespaces)");
    Console.Error.WriteLine("  raft-claims    [--items N] [--in-flight 1,64,256] [--seconds S] [--batch B] [--batches-in-flight K] [--no-group-commit] [--dependent-percent P] [--metrics off|on|both]");
    Console.Error.WriteLine("  raft-failover  [--kills N] [--election-timeout-ms L] [--keep-logs] [--node-program PATH]  (RINGRIFT_RAFT_ELECTION_TIMEOUT_MS for the nodes; upper = 2L)");
    Console.Error.WriteLine("  dispatch       [--nodes 512] [--items 20000] [--seed S]");
    Console.Error.WriteLine("  sync           [--mib 1024] [--files 16] [--concurrency 2] [--bandwidth-mbps MB/s]");
    Console.Error.WriteLine("  requeue        [--membership swim|http] [--kills N]  (4 node processes, default timings)");
    Console.Error.WriteLine("  metrics-scrape [--items 10000] [--scrapes 500]");
    Console.Error.WriteLine("  metrics-record-cost [--calls 5000000]");
    Console.Error.WriteLine("  footprint      [--nodes 3] [--warmup 20] [--seconds 60] [--starts 5] [--modes default,swim-raft|none] [--node-program PATH]");
    Console.Error.WriteLine("  replica-position [--pushes N]");
    Console.Error.WriteLine("  soak           [--minutes 30] [--mode raft|bully|both] [--clients 16] [--pause-ms 500] [--kill-every 120] [--restart-every 180] [--restart-delay 5] [--seed 1]");
    Console.Error.WriteLine("                 [--drift-from 5] [--election-timeout-ms L] [--lease 3] [--heartbeat 0.5] [--peer-timeout 1.5] [--retention 60] [--retain-max 1000] [--keep-logs] [--node-program PATH]");
    return 2;
}
