using System.Text.Json;
using RingRift.P2P.Json;
using RingRift.P2P.Models;
using Xunit;

namespace RingRift.P2P.Tests.Models;

public sealed class NodeSummaryTests
{
    private static NodeSummary WithLoad(double loadScore, bool overloaded = false, NodeHealth health = NodeHealth.Healthy) => new()
    {
        NodeId = "n1",
        Health = health,
        Resources = new ResourceSnapshot(0, 0, 0, 0, loadScore, overloaded),
    };

    [Fact]
    public void CanAcceptNewJobs_LoadMustBeStrictlyBelowTheMaximum()
    {
        Assert.True(WithLoad(Math.BitDecrement(0.8)).CanAcceptNewJobs(0.8));
        Assert.False(WithLoad(0.8).CanAcceptNewJobs(0.8));
    }

    [Fact]
    public void CanAcceptNewJobs_FromRealMetricsAtTheDefaultMaximum()
    {
        var at = new NodeSummary { NodeId = "n1", Resources = ResourceSnapshot.From(new ResourceMetrics(80, 80, 80, 80)) };
        var below = new NodeSummary { NodeId = "n1", Resources = ResourceSnapshot.From(new ResourceMetrics(80, 80, 79.9999, 80)) };

        Assert.False(at.CanAcceptNewJobs(0.8));
        Assert.True(below.CanAcceptNewJobs(0.8));
    }

    [Theory]
    [InlineData(NodeHealth.Degraded)]
    [InlineData(NodeHealth.Unhealthy)]
    [InlineData(NodeHealth.Offline)]
    public void CanAcceptNewJobs_OnlyWhenHealthy(NodeHealth health) => Assert.False(WithLoad(0.1, health: health).CanAcceptNewJobs(0.8));

    [Fact]
    public void CanAcceptNewJobs_NotWhenOverloaded() => Assert.False(WithLoad(0.1, overloaded: true).CanAcceptNewJobs(0.8));

    [Fact]
    public void Json_UsesSnakeCaseAndLowerCaseEnums()
    {
        var summary = new NodeSummary
        {
            NodeId = "lambda-gh200-1",
            Address = "100.64.0.21",
            Port = 8770,
            Role = NodeRole.Leader,
            LeaderId = "lambda-gh200-1",
            Epoch = 7,
            Health = NodeHealth.Healthy,
            Resources = ResourceSnapshot.From(new ResourceMetrics(45, 60, 80, 55)),
            GpuName = "NVIDIA GH200 480GB",
            GpuCount = 1,
            GpuMemoryTotalMb = 97_871,
            GpuPower = 1.2,
            CpuCount = 72,
            MemoryTotalMb = 442_368,
            Capabilities = [JobType.Selfplay, JobType.Training, JobType.Parse("cpu_cmaes")],
            CpuJobTypes = [JobType.Parse("cpu_cmaes")],
            Voter = true,
            UptimeSeconds = 12.5,
            ActiveJobs = 2,
            Version = "1.0.0",
            Timestamp = 1_764_000_000.25,
        };

        var json = JsonSerializer.Serialize(summary, P2PJson.Options);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;

        Assert.Equal("lambda-gh200-1", root.GetProperty("node_id").GetString());
        Assert.Equal("leader", root.GetProperty("role").GetString());
        Assert.Equal("healthy", root.GetProperty("health").GetString());
        Assert.Equal(["selfplay", "training", "cpu_cmaes"], root.GetProperty("capabilities").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["cpu_cmaes"], root.GetProperty("cpu_job_types").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(97_871, root.GetProperty("gpu_memory_total_mb").GetInt64());
        Assert.Equal(0.61, root.GetProperty("resources").GetProperty("load_score").GetDouble(), precision: 12);
        Assert.False(root.GetProperty("resources").GetProperty("is_overloaded").GetBoolean());
        Assert.Equal(80, root.GetProperty("resources").GetProperty("gpu_memory_percent").GetDouble());

        var back = JsonSerializer.Deserialize<NodeSummary>(json, P2PJson.Options)!;
        Assert.Equal(summary with { Capabilities = back.Capabilities, CpuJobTypes = back.CpuJobTypes }, back);
        Assert.Equal(summary.Capabilities, back.Capabilities);
        Assert.Equal(summary.CpuJobTypes, back.CpuJobTypes);
        Assert.Equal(json, JsonSerializer.Serialize(back, P2PJson.Options));
    }

    [Theory]
    [InlineData(NodeRole.Leader, "\"leader\"")]
    [InlineData(NodeRole.Follower, "\"follower\"")]
    [InlineData(NodeRole.Candidate, "\"candidate\"")]
    [InlineData(NodeHealth.Healthy, "\"healthy\"")]
    [InlineData(NodeHealth.Degraded, "\"degraded\"")]
    [InlineData(NodeHealth.Unhealthy, "\"unhealthy\"")]
    [InlineData(NodeHealth.Offline, "\"offline\"")]
    [InlineData(JobStatus.Pending, "\"pending\"")]
    [InlineData(JobStatus.Running, "\"running\"")]
    [InlineData(JobStatus.Completed, "\"completed\"")]
    [InlineData(JobStatus.Failed, "\"failed\"")]
    public void Enums_RoundTripAsLowerCaseStrings(object value, string json)
    {
        var type = value.GetType();
        Assert.Equal(json, JsonSerializer.Serialize(value, type, P2PJson.Options));
        Assert.Equal(value, JsonSerializer.Deserialize(json, type, P2PJson.Options));
    }

    [Fact]
    public void Json_MissingNodeId_IsRejected() =>
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<NodeSummary>("{\"port\":8770}", P2PJson.Options));
}
