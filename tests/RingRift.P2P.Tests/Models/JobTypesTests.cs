using System.Text.Json;
using RingRift.P2P.Models;
using RingRift.P2P.Testing.Wire;
using Xunit;

namespace RingRift.P2P.Tests.Models;

/// <summary>Work types are an open set of names; four are built in.</summary>
public sealed class JobTypesTests
{
    [Theory]
    [InlineData("selfplay", 0)]
    [InlineData("training", 1)]
    [InlineData("evaluation", 2)]
    [InlineData("sync", 3)]
    public void The_built_in_types_keep_their_names_and_numbers(string name, int number)
    {
        var type = JobType.Parse(name);

        Assert.Equal(name, type.WireName());
        Assert.True(type.IsBuiltIn);
        Assert.Equal(number, type.BuiltInIndex);
        Assert.True(JobType.TryFromBuiltInIndex(number, out var byNumber));
        Assert.Equal(type, byNumber);
        Assert.Equal(JobTypes.All[number], type);
        Assert.True(JobTypes.TryParse($" {name.ToUpperInvariant()} ", out var parsed));
        Assert.Equal(type, parsed);
    }

    [Theory]
    [InlineData("gauntlet")]
    [InlineData("gpu_cmaes")]
    [InlineData("data_merge")]
    [InlineData("hyperparam_sweep")]
    [InlineData("x")]
    public void Any_lower_case_name_is_a_type_that_is_not_built_in(string name)
    {
        Assert.True(JobType.TryParse(name, out var type));
        Assert.Equal(name, type.Name);
        Assert.False(type.IsBuiltIn);
        Assert.Equal(-1, type.BuiltInIndex);
        Assert.Equal(JobType.Parse(name), type);
        Assert.Equal(JobType.Parse(name).GetHashCode(), type.GetHashCode());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("9lives")]
    [InlineData("_private")]
    [InlineData("has-dash")]
    [InlineData("has space")]
    public void Other_text_is_not_a_type(string? text)
    {
        Assert.False(JobType.TryParse(text, out _));
        Assert.Contains("1-64 lower-case letters", Assert.Throws<FormatException>(() => JobType.Parse(text!)).Message);
        Assert.False(JobType.TryFromBuiltInIndex(4, out _));
    }

    [Fact]
    public void A_name_has_at_most_64_characters()
    {
        Assert.True(JobType.TryParse("a" + new string('b', 63), out _));
        Assert.False(JobType.TryParse("a" + new string('b', 64), out _));
    }

    [Fact]
    public void The_default_is_selfplay_and_ordering_puts_built_in_types_first()
    {
        Assert.Equal(JobType.Selfplay, default);
        Assert.Equal("selfplay", default(JobType).Name);
        var sorted = new[] { JobType.Parse("gpu_cmaes"), JobType.Sync, JobType.Parse("gauntlet"), JobType.Selfplay, JobType.Training }.Order();
        Assert.Equal(["selfplay", "training", "sync", "gauntlet", "gpu_cmaes"], sorted.Select(t => t.Name));
    }

    [Fact]
    public void Json_writes_the_name_and_reads_it_back_as_a_value_and_as_a_key()
    {
        var gauntlet = JobType.Parse("gauntlet");
        var json = JsonSerializer.Serialize(new Dictionary<JobType, JobType[]> { [gauntlet] = [JobType.Training, gauntlet] }, TestJson.Options);

        Assert.Equal("""{"gauntlet":["training","gauntlet"]}""", json);
        var back = JsonSerializer.Deserialize<Dictionary<JobType, JobType[]>>(json, TestJson.Options)!;
        Assert.Equal([JobType.Training, gauntlet], back[gauntlet]);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<JobType>("\"has-dash\"", TestJson.Options));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<JobType>("3", TestJson.Options));
    }
}
