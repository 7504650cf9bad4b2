using System.Text;
using RingRift.P2P.Node.Demo;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Testing.Ports;
using RingRift.P2P.Testing.Processes;

namespace RingRift.P2P.Node.Tests.Demo;

/// <summary>
/// <c>local-cluster</c> for real: two node processes on 127.0.0.1; it prints the dashboard URL, then the
/// nodes coming up and the leader elected, without a second terminal; Ctrl-C stops both nodes.
/// </summary>
public sealed class LocalClusterTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "rr-local-cluster-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Prints_the_dashboard_url_then_nodes_up_and_the_leader_as_they_happen()
    {
        var ports = TestPorts.Free(2);
        using var ctrlC = new CancellationTokenSource();
        var output = new LineLog(line => line.Contains("  leader     node-", StringComparison.Ordinal), ctrlC);
        var settings = new LocalClusterSettings(ports, _data, SwimBasePort: 1, RaftBasePort: 1, JobsPath: null,
            ChildEnvironment.Of(InProcessCluster.FastTimings));

        var run = LocalClusterCommand.RunAsync(settings, output, TextWriter.Null, ctrlC.Token);
        var finished = await Task.WhenAny(run, Task.Delay(ProcessCluster.ProcessWait));
        if (finished != run) await ctrlC.CancelAsync(); // no leader line in time: stop the nodes, then fail below
        var code = await run;

        var text = output.Text;
        Assert.Equal(0, code);
        Assert.Contains($"dashboard: http://127.0.0.1:{ports[0]}/dashboard", text);
        Assert.Matches(@"(?m)^\d\d:\d\d:\d\d  node up    node-1$", text);
        Assert.Matches(@"(?m)^\d\d:\d\d:\d\d  leader     node-[12] elected$", text);
        Assert.EndsWith("Stopping nodes…", text.TrimEnd());
        foreach (var port in ports)
            Assert.True(LoopbackPorts.IsFree(port), $"a node still listens on {port} after Ctrl-C:\n{text}");
    }

    [Fact]
    public async Task A_node_that_cannot_start_is_reported_with_its_one_line_error()
    {
        var settings = new LocalClusterSettings(TestPorts.Free(1), _data, SwimBasePort: 1, RaftBasePort: 1, JobsPath: null,
            ChildEnvironment.Of(new Dictionary<string, string?>(InProcessCluster.FastTimings) { ["RINGRIFT_LOG_LEVEL"] = "loud" }));
        using var error = new StringWriter();
        using var timeout = new CancellationTokenSource(ProcessCluster.ProcessWait); // stands for Ctrl-C should the node not exit

        var code = await LocalClusterCommand.RunAsync(settings, TextWriter.Null, error, timeout.Token);

        Assert.Equal(1, code); // every node exited
        Assert.Equal($"node-1 exited: ringrift-p2p: RINGRIFT_LOG_LEVEL='loud' is invalid: expected one of trace, debug, information, warning, error, critical, none; "
            + $"see {Path.Combine(Path.GetFullPath(_data), "node-1.log")}", error.ToString().Trim());
    }

    /// <summary>Collects what local-cluster prints; cancels (Ctrl-C) once a line matches.</summary>
    private sealed class LineLog(Func<string, bool> stopAt, CancellationTokenSource ctrlC) : TextWriter
    {
        private readonly StringBuilder _text = new();

        public override Encoding Encoding => Encoding.UTF8;

        public string Text
        {
            get { lock (_text) return _text.ToString(); }
        }

        public override void Write(char value)
        {
            lock (_text) _text.Append(value);
        }

        public override void WriteLine(string? value)
        {
            lock (_text) _text.Append(value).Append('\n');
            if (value is not null && stopAt(value)) ctrlC.Cancel();
        }
    }
}
