using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using RingRift.P2P.Testing.Netns;
using RingRift.P2P.Testing.Waiting;
using Xunit.Abstractions;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// SWIM on five node processes in five network namespaces, each host losing 5 % of what it sends to the
/// others (the loss the README's SWIM figures are measured at), with SWIM's default timings
/// (<c>SwimConfig.Default</c>, <c>swim</c> membership). kill -9 of one node: every other node marks it dead
/// within the README's detection goal (p99 ≤ 5 s, "crash one node → every live node marks it dead"),
/// and no live node is marked dead at any time. Every node's <c>/swim/members</c> is polled over the
/// bridge from the test process all along. Trait <c>Category=Netns</c>.
/// </summary>
[Collection(NetnsCollection.Name)]
[Trait("Category", NetnsTestBed.Category)]
public sealed class SwimLossNetnsTests : IDisposable
{
    private const int Nodes = 5;
    private const int LossPercent = 5;

    /// <summary>The README's goal for crash detection with SWIM's defaults (p99, every live node marks the crashed one dead).</summary>
    private static readonly TimeSpan DetectionGoal = TimeSpan.FromSeconds(5);

    /// <summary>Probes each node sends under loss before the kill: ~6 s of the 300 ms protocol period in which a false death could show.</summary>
    private const int ProbesBeforeKill = 20;

    private readonly string _root = Directory.CreateTempSubdirectory("ringrift-netns-swim-").FullName;
    private readonly NetnsTestBed _bed = NetnsTestBed.Create(Nodes);
    private readonly ITestOutputHelper _output;

    public SwimLossNetnsTests(ITestOutputHelper output) => _output = output;

    public void Dispose()
    {
        _bed.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task KillMinus9_EveryOtherNodeMarksItDeadWithinTheDetectionGoal_UnderFivePercentLoss_AndNoLiveNodeIsMarkedDead()
    {
        foreach (var host in _bed.Hosts) _bed.SetLoss(host, LossPercent);
        var nodes = _bed.Hosts.Select(h => NetnsNode.StartSwim(_bed, h, _bed.Hosts, _root)).ToList();
        await Task.WhenAll(nodes.Select(n => n.WaitUntilServingAsync()));
        var victim = nodes[2];
        var survivors = nodes.Where(n => n != victim).ToList();

        using var watch = new FalseDeathWatch(survivors, victim.Id);
        try
        {
            foreach (var node in nodes)
            {
                await Eventually.Until(() => MembersAsync(node), m => m.Count == Nodes - 1 && m.Values.All(s => s.State == "alive"),
                    $"{node.Id} to see the {Nodes - 1} others alive", NetnsNode.ProcessWait);
            }

            var probes = await Task.WhenAll(nodes.Select(ProbesAsync));
            for (var i = 0; i < nodes.Count; i++)
            {
                var (node, start) = (nodes[i], probes[i]);
                await Eventually.Until(() => ProbesAsync(node), n => n >= start + ProbesBeforeKill, $"{node.Id} to probe {ProbesBeforeKill} times under loss", NetnsNode.ProcessWait);
            }

            var killedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
            victim.Process.Kill();

            var detections = new Dictionary<string, double>();
            foreach (var node in survivors)
            {
                var members = await Eventually.Until(() => MembersAsync(node), m => m.TryGetValue(victim.Id, out var v) && v.State == "dead",
                    $"{node.Id} to mark {victim.Id} dead", NetnsNode.ProcessWait);
                detections[node.Id] = members[victim.Id].StateChangedAt - killedAt;
                var others = members.Where(m => m.Key != victim.Id).ToList();
                Assert.True(others.All(m => m.Value.State is "alive" or "suspect"),
                    $"{node.Id} after the kill: {string.Join(", ", others.Select(m => $"{m.Key} {m.Value.State}"))}");
            }

            var report = string.Join(", ", detections.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Key} {d.Value:0.00} s")));
            _output.WriteLine($"{victim.Id} marked dead after: {report}; {watch.Polls} polls of /swim/members, {watch.FalseDeaths.Count} false deaths");
            Assert.True(detections.Values.All(seconds => seconds <= DetectionGoal.TotalSeconds),
                $"{victim.Id} marked dead after: {report}; the README's goal is {DetectionGoal.TotalSeconds:0} s");
            var indirect = await Task.WhenAll(survivors.Select(n => CounterAsync(n, "indirect_probes")));
            Assert.True(indirect.Sum() > 0, "no probe needed an indirect check: was the loss in force?"); // ~10 % of probes lose a ping or its ack
            Assert.True(watch.Polls >= survivors.Count, $"only {watch.Polls} polls of /swim/members succeeded");
            Assert.True(watch.FalseDeaths.IsEmpty, $"live nodes marked dead: {string.Join("; ", watch.FalseDeaths)}");
        }
        catch (Exception e) when (e is WaitTimedOutException or Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\n{string.Join("\n", nodes.Select(n => $"--- {n.Id}:\n{n.Process.LogTail(15)}"))}");
        }
    }

    private static Task<long> ProbesAsync(NetnsNode node) => CounterAsync(node, "probes");

    private static async Task<long> CounterAsync(NetnsNode node, string name) =>
        (await node.GetJsonAsync("/swim/status"))["protocol"]?[name]?.GetValue<long>() ?? throw new InvalidOperationException($"{node.Id}: no protocol.{name}");

    /// <summary>The node's <c>/swim/members</c>: state and when it last changed (Unix seconds), by peer id.</summary>
    private static async Task<IReadOnlyDictionary<string, (string State, double StateChangedAt)>> MembersAsync(NetnsNode node)
    {
        var members = (await node.GetJsonAsync("/swim/members"))["members"]?.AsArray() ?? throw new InvalidOperationException($"{node.Id}: no members");
        return members.OfType<JsonNode>().ToDictionary(
            m => m["node_id"]!.GetValue<string>(),
            m => (m["state"]!.GetValue<string>(), m["state_changed_at"]!.GetValue<double>()));
    }

    /// <summary>Polls every survivor's <c>/swim/members</c> until disposed and records every live node it finds marked dead or left.</summary>
    private sealed class FalseDeathWatch : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private int _polls;

        public FalseDeathWatch(IReadOnlyList<NetnsNode> survivors, string victim)
        {
            _loop = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    foreach (var node in survivors)
                    {
                        try
                        {
                            foreach (var (peer, seen) in await MembersAsync(node))
                            {
                                if (peer != victim && seen.State is "dead" or "left") FalseDeaths.Enqueue($"{node.Id} saw {peer} {seen.State}");
                            }

                            Interlocked.Increment(ref _polls);
                        }
                        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
                        {
                            // a poll lost to the loaded machine: the next one looks again
                        }
                    }

                    try { await Task.Delay(200, _stop.Token); } catch (OperationCanceledException) { }
                }
            });
        }

        public ConcurrentQueue<string> FalseDeaths { get; } = new();

        public int Polls => Volatile.Read(ref _polls);

        public void Dispose()
        {
            _stop.Cancel();
            _loop.Wait(TimeSpan.FromSeconds(30));
            _stop.Dispose();
        }
    }
}
