using System.Diagnostics;
using System.Globalization;
using RingRift.P2P.Testing.Clocks;
using RingRift.P2P.Testing.Netns;
using RingRift.P2P.Testing.Waiting;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// SWIM (<c>swim</c> membership, default timings) on four node processes in four network namespaces, node-4
/// under libfaketime: its wall clock stepped an hour ahead, then an hour back, then to the true time, its
/// monotonic clock untouched. Probes, their timeouts and suspicions are timed on the monotonic clock, so each
/// step held for <see cref="ProbesPerStep"/> probes of every node leaves everyone alive everywhere: no node
/// marks another dead or left at any time (every node's <c>/swim/members</c> polled about every 200 ms).
/// Traits <c>Category=Netns</c> and <c>Category=Faketime</c>.
/// </summary>
[Collection(NetnsCollection.Name)]
[Trait("Category", NetnsTestBed.Category)]
[Trait("Category", FaketimeClock.Category)]
public sealed class SwimClockStepNetnsTests(ITestOutputHelper output) : IDisposable
{
    private const int Nodes = 4;
    private const int Stepped = 3; // node-4

    /// <summary>Probes each node sends while one step holds: 30 of SWIM's 0.3 s periods, several suspicion timeouts.</summary>
    private const int ProbesPerStep = 30;

    private readonly string _root = Directory.CreateTempSubdirectory("ringrift-netns-swim-clock-").FullName;
    private readonly NetnsTestBed _bed = NetnsTestBed.Create(Nodes);
    private readonly List<int> _processIds = [];

    public void Dispose()
    {
        _bed.Dispose();
        FaketimeClock.RemoveLeftovers(_processIds);
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task WallClockOfOneNodeSteppedAnHourAheadThenBack_NoNodeIsMarkedDead()
    {
        var clock = FaketimeClock.ForWallSteps(Path.Combine(_root, "clock"));
        using var cluster = await NetnsSwimCluster.StartAsync(_bed, _root, NodeProgram.Current, hostSettings: new Dictionary<int, IReadOnlyDictionary<string, string?>>
        {
            [Stepped] = clock.Environment,
        });
        _processIds.Add(cluster[Stepped].Process.ProcessId);
        var observer = Stopwatch.StartNew();
        double Now() => observer.Elapsed.TotalSeconds;
        try
        {
            var suspicionsBefore = await cluster.SumCounterAsync("suspicions");
            foreach (var step in new[] { TimeSpan.FromHours(1), TimeSpan.FromHours(-1), TimeSpan.Zero })
            {
                var start = await NodeClockReading.ReadAsync(cluster[Stepped], Now);
                clock.StepWallClock(step);
                var stepped = await NodeClockReading.WaitForWallOffsetAsync(cluster[Stepped], Now, step, TimeSpan.FromSeconds(2));
                var monotonicJump = stepped.MonotonicJumpSince(start);
                Assert.True(Math.Abs(monotonicJump) <= 0.5, $"node-4's monotonic clock moved with its wall clock: {start} then {stepped}");

                var probes = await Task.WhenAll(cluster.Live.Select(n => n.SwimCounterAsync("probes")));
                for (var i = 0; i < Nodes; i++)
                {
                    var (node, from) = (cluster[i], probes[i]);
                    await Eventually.Until(() => node.SwimCounterAsync("probes"), n => n >= from + ProbesPerStep,
                        $"{node.Id} to probe {ProbesPerStep} times with node-4's wall clock {step.TotalHours:+0;-0;0} h off", NetnsNode.ProcessWait);
                }
                Assert.True(cluster.Watch.FalseDeaths.IsEmpty, $"marked dead or left with node-4's wall clock {step.TotalHours:+0;-0;0} h off: {cluster.Watch.Describe()}");
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"node-4's wall clock {stepped.WallOffsetText} off (monotonic clock needs no jump beyond {Math.Abs(monotonicJump) * 1000:0} ms to explain the readings): {ProbesPerStep} probes per node, no dead mark"));
            }

            await cluster.WaitAllSeeAllAliveAsync(NetnsNode.ProcessWait);
            var suspicions = await cluster.SumCounterAsync("suspicions") - suspicionsBefore;
            output.WriteLine($"{suspicions} suspicions (all refuted) over the three steps; {cluster.Watch.Polls} polls of /swim/members");
            Assert.True(cluster.Watch.Polls >= Nodes * 10, $"only {cluster.Watch.Polls} polls of /swim/members succeeded");
            Assert.True(cluster.Watch.FalseDeaths.IsEmpty, $"live nodes marked dead or left: {cluster.Watch.Describe()}");
        }
        catch (Exception e) when (e is WaitTimedOutException or XunitException)
        {
            throw new XunitException($"{e.Message}\n{cluster.LogTails()}");
        }
    }
}
