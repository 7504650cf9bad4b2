using System.Security.Cryptography;
using System.Text.Json.Nodes;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Testing.Waiting;
using Xunit.Abstractions;

namespace RingRift.P2P.Node.Tests.Orchestration;

/// <summary>
/// The whole loop on three node processes with the demo jobs (examples/jobs.yaml): the leader keeps
/// self-play queued, places it, triggers training once enough games exist, the training node pulls
/// the games, an evaluation follows, the model is promoted, and every node ends up holding it.
/// </summary>
[Collection(JobProcessCollection.Name)]
public sealed class DemoLoopEndToEndTests(ITestOutputHelper output)
{
    /// <summary>Bound for the whole loop (self-play, training, evaluation, promotion, sync) on a loaded 2-core machine.</summary>
    private static readonly TimeSpan LoopWait = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task ThreeNodes_WithTheDemoJobs_PromoteAModel_AndEveryNodeHoldsIt()
    {
        using var cluster = new JobProcessCluster(3, ExampleJobsFile()); // as local-cluster --jobs examples/jobs.yaml: its training block sizes the loop
        var leader = await cluster.WaitForLeaderAsync();

        JsonNode training;
        try
        {
            training = (await Eventually.Until(() => TrainingOfAsync(cluster), t => ChampionOf(t) is { } champion && HeldByEveryNode(cluster, champion),
                "a promoted hex8_2p champion that every node holds", LoopWait))!;
        }
        catch (WaitTimedOutException e)
        {
            throw new WaitTimedOutException($"{e.Message}\n{cluster.Logs()}");
        }
        var champion = ChampionOf(training)!;
        output.WriteLine($"leader {leader}; champion {champion}; {training.ToJsonString()}");

        var hashes = Enumerable.Range(0, 3).Select(i => Path.Combine(cluster.DataDirOf(i), champion))
            .Select(path => File.Exists(path) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))) : "missing").ToList();
        Assert.True(hashes.Distinct().Count() == 1 && hashes[0] != "missing", $"the champion differs or is missing: {string.Join(", ", hashes)}\n{cluster.Logs()}");

        // The promotion came through the loop: a completed training, then its evaluation, both on record.
        var completed = await Eventually.Until(() => Http.GetAsync(cluster.Nodes[0].Url + "/", "work?status=completed&limit=1000"), a => a.Status == 200,
            "the completed work listing, served by the leader", ProcessCluster.ProcessWait);
        var items = completed.Json!["items"]!.AsArray();
        var trainingId = training["champion"]!["training_work_id"]!.GetValue<string>();
        Assert.Contains(items, i => i?["work_id"]?.GetValue<string>() == trainingId);
        Assert.Contains(items, i => i?["work_id"]?.GetValue<string>() == training["champion"]!["evaluation_work_id"]!.GetValue<string>());
        var model = JsonNode.Parse(File.ReadAllText(Path.Combine(cluster.DataDirOf(0), champion)))!;
        Assert.True(model["games_used"]!.GetValue<int>() >= 400, $"the model was trained on fewer games than the threshold: {model.ToJsonString()}");

        // /status shows the loop too (the training block and the runner).
        var status = (await Http.GetAsync(cluster.Nodes[0].Url + "/", "status")).Json!;
        Assert.NotNull(status["jobs"]?["training"]?["configs"]);
        Assert.True(status["self"]!["cpu_slots"]!.GetValue<int>() > 0);
    }

    /// <summary>The hex8_2p entry of node-1's /training/status.</summary>
    private static async Task<JsonNode?> TrainingOfAsync(JobProcessCluster cluster)
    {
        var answer = await Http.GetAsync(cluster.Nodes[0].Url + "/", "training/status");
        return answer.Json?["training"]?["configs"]?.AsArray().FirstOrDefault(c => c?["config"]?.GetValue<string>() == "hex8_2p");
    }

    private static string? ChampionOf(JsonNode? training) => training?["champion"]?["model_path"]?.GetValue<string>();

    private static bool HeldByEveryNode(JobProcessCluster cluster, string champion) =>
        Enumerable.Range(0, cluster.Nodes.Length).All(i => File.Exists(Path.Combine(cluster.DataDirOf(i), champion)));

    internal static string ExampleJobsFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "examples", "jobs.yaml");
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException("examples/jobs.yaml not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>The job-loop tests on three node processes: one after another, beside the other collections.</summary>
[CollectionDefinition(Name)]
public sealed class JobProcessCollection
{
    public const string Name = "job processes";
}
