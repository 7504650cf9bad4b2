using RingRift.P2P.Node.Cli;
using RingRift.P2P.Node.Demo;
using RingRift.P2P.Node.Jobs;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Testing.Ports;
using RingRift.P2P.Testing.Processes;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Orchestration;

/// <summary>
/// N node processes on 127.0.0.1 that run jobs from one jobs file (fast heartbeat timings, no GPUs).
/// Ports come from <see cref="TestPorts"/>, the environment from <see cref="ChildEnvironment"/>, data
/// from a folder of its own. Dispose stops the nodes (killing any that do not stop), kills job
/// processes they left running (jobs outlive their node on purpose) and deletes the data, also when
/// the test failed.
/// </summary>
public sealed class JobProcessCluster : IDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "ringrift-jobs-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<string>[] _args;
    private readonly Dictionary<string, string> _environment;
    private readonly List<ChildNode> _retired = [];

    public JobProcessCluster(int count, string jobsFile, IReadOnlyDictionary<string, string>? env = null)
        : this(count, _ => jobsFile, env)
    {
    }

    /// <summary>Nodes that each run the jobs file <paramref name="jobsFileOf"/> names for their index.</summary>
    public JobProcessCluster(int count, Func<int, string> jobsFileOf, IReadOnlyDictionary<string, string>? env = null)
    {
        HttpPorts = TestPorts.Free(count);
        var settings = new Dictionary<string, string?>(InProcessCluster.FastTimings) { ["RINGRIFT_P2P_GPU_COUNT"] = "0" };
        if (env is not null) foreach (var (k, v) in env) settings[k] = v;
        _environment = ChildEnvironment.Of(settings);
        Nodes = new ChildNode[count];
        _args = new List<string>[count];
        try
        {
            for (var i = 0; i < count; i++)
            {
                var peers = string.Join(',', HttpPorts.Where(p => p != HttpPorts[i]).Select(p => $"127.0.0.1:{p}"));
                _args[i] = ["--node-id", IdOf(i), "--host", "127.0.0.1", "--port", HttpPorts[i].ToString(), "--data-dir", DataDirOf(i),
                    "--peers", peers, "--jobs", jobsFileOf(i)];
                Nodes[i] = ChildNode.Start(IdOf(i), HttpPorts[i], _args[i], Path.Combine(_root, IdOf(i) + ".log"), _environment, TestNodeProgram.Path);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int[] HttpPorts { get; }

    /// <summary>Starts a node that has exited again, with its arguments and on its data (its log goes on in the same file).</summary>
    public void Restart(int index)
    {
        if (!Nodes[index].HasExited) throw new InvalidOperationException($"{IdOf(index)} is running");
        _retired.Add(Nodes[index]);
        Nodes[index] = ChildNode.Start(IdOf(index), HttpPorts[index], _args[index], Path.Combine(_root, IdOf(index) + ".log"), _environment, TestNodeProgram.Path);
    }

    public ChildNode[] Nodes { get; }

    public static string IdOf(int index) => $"node-{index + 1}";

    public static int IndexOf(string nodeId) => int.Parse(nodeId["node-".Length..]) - 1;

    public string DataDirOf(int index) => Path.Combine(_root, IdOf(index));

    public string Root => _root;

    /// <summary>The leader every live node names, once it serves the queue.</summary>
    public async Task<string> WaitForLeaderAsync()
    {
        try
        {
            var poll = await Eventually.Until(() => ChildLeaderPoll.ReadAsync(Nodes.Where(n => n is not null)), p => p.AgreedLeader is not null,
                "one leader named by every live node and serving the queue", ProcessCluster.ProcessWait);
            return poll.AgreedLeader!;
        }
        catch (WaitTimedOutException e)
        {
            throw new WaitTimedOutException($"{e.Message}\nlogs:\n{Logs()}");
        }
    }

    public string Logs() => ChildLogs.Tails(Nodes.Where(n => n is not null));

    /// <summary>Reads until <paramref name="done"/> accepts the answer; a timeout names <paramref name="what"/> and carries the nodes' log tails.</summary>
    public async Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        try
        {
            return await Eventually.Until(read, done, what, ProcessCluster.ProcessWait);
        }
        catch (WaitTimedOutException e)
        {
            throw new WaitTimedOutException($"{e.Message}\n{Logs()}");
        }
    }

    public void Dispose()
    {
        var started = Nodes.Where(n => n is not null).ToArray();
        var failures = new List<Exception>();
        try
        {
            Task.WhenAll(started.Select(n => n.StopAsync(StopGrace))).GetAwaiter().GetResult();
        }
        catch (Exception e) { failures.Add(e); }
        foreach (var n in started.Concat(_retired))
        {
            try { n.Dispose(); } catch (Exception e) { failures.Add(e); } // kills it if it did not stop
        }
        for (var i = 0; i < Nodes.Length; i++) JobFiles.KillRecordedJobs(DataDirOf(i)); // jobs outlive their node on purpose
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        if (failures.Count > 0) throw new AggregateException("stopping the node processes failed", failures);
    }
}
