using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using RingRift.P2P.Node.Demo;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Testing.Ports;
using RingRift.P2P.Testing.Processes;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Cli;

/// <summary>
/// <c>ringrift-p2p run</c> as a real process on 127.0.0.1, its stdout and stderr captured by
/// <see cref="ChildNode"/> (as local-cluster captures its nodes'): the console in JSON, and a taken HTTP port.
/// </summary>
public sealed class RunProcessTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rr-run-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Json_format_writes_every_console_line_as_one_json_object_with_a_utc_timestamp()
    {
        using var node = Start(TestPorts.Free(), ("RINGRIFT_LOG_FORMAT", "json"));
        await Eventually.Until(() => Output(node), text => text.Contains(" is leader for epoch ", StringComparison.Ordinal),
            "node-1 logging that it leads", ProcessCluster.ProcessWait);
        await node.StopAsync(TimeSpan.FromSeconds(10));

        var entries = Output(node).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(ParseObject).ToList(); // shutdown included
        var leader = entries.First(e => e.GetProperty("EventId").GetInt32() == 1000);
        Assert.Equal("Information", leader.GetProperty("LogLevel").GetString());
        Assert.Equal("RingRift.P2P.Election.BullyElection", leader.GetProperty("Category").GetString());
        Assert.StartsWith("node-1 is leader for epoch ", leader.GetProperty("Message").GetString());
        Assert.Equal("node-1", leader.GetProperty("State").GetProperty("NodeId").GetString());
        Assert.Equal(JsonValueKind.Array, leader.GetProperty("Scopes").ValueKind);
        var timestamp = leader.GetProperty("Timestamp").GetString()!;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", timestamp);
        var at = DateTimeOffset.Parse(timestamp, CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.Zero, at.Offset);
        Assert.InRange(at, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Contains(entries, e => e.GetProperty("Category").GetString() == "Microsoft.Hosting.Lifetime"); // the framework's lines too
    }

    [Fact]
    public async Task Http_port_in_use_exits_1_with_one_line_naming_the_port_and_what_sets_it()
    {
        var port = TestPorts.Free();
        using var holder = new TcpListener(IPAddress.Loopback, port);
        holder.Start();

        using var node = Start(port);
        using var timeout = new CancellationTokenSource(ProcessCluster.ProcessWait);
        await node.WaitForExitAsync(timeout.Token); // and its output read

        var expected = $"ringrift-p2p: port {port} on 127.0.0.1 is already in use (set RINGRIFT_P2P_PORT or --port)";
        var output = Output(node);
        Assert.Equal(1, node.ExitCode);
        Assert.Equal(expected, node.LastError); // stderr
        Assert.Equal(expected, output.Trim()); // stdout and stderr: nothing else, no log of a start that began
        Assert.DoesNotContain("   at ", output);
    }

    private ChildNode Start(int port, params (string Name, string Value)[] env)
    {
        var settings = new Dictionary<string, string?>(InProcessCluster.FastTimings);
        foreach (var (name, value) in env) settings[name] = value;
        return ChildNode.Start("node-1", port, ["--node-id", "node-1", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
            "--data-dir", Path.Combine(_root, "node-1")], Path.Combine(_root, "node-1.log"), ChildEnvironment.Of(settings), TestNodeProgram.Path);
    }

    private static string Output(ChildNode node) => File.Exists(node.LogPath) ? File.ReadAllText(node.LogPath) : "";

    private static JsonElement ParseObject(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"console line is not JSON ({e.Message}): {line}");
        }
    }
}
