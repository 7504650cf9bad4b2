using RingRift.P2P.Testing.Waiting;
using Xunit;

namespace RingRift.P2P.Tests.TestKit;

public sealed class EventuallyTests
{
    [Fact]
    public async Task Returns_the_first_observation_the_condition_accepts()
    {
        int calls = 0;

        int seen = await Eventually.Until(() => ++calls, n => n >= 3, "three calls", TimeSpan.FromSeconds(30));

        Assert.Equal(3, seen);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task Running_out_names_what_was_awaited_and_the_last_observation()
    {
        var error = await Assert.ThrowsAsync<WaitTimedOutException>(() =>
            Eventually.Until(() => new[] { "a", "b" }, _ => false, "node-1 to see node-3", TimeSpan.FromMilliseconds(50)));

        Assert.Equal("Waited 0.05 s for node-1 to see node-3; last observed: [\"a\", \"b\"]", error.Message);
    }

    [Fact]
    public async Task An_observation_that_throws_is_not_yet_and_its_exception_is_reported_when_time_runs_out()
    {
        int calls = 0;
        int seen = await Eventually.Until(() => ++calls < 3 ? throw new HttpRequestException("refused") : calls, _ => true, "an answer");
        Assert.Equal(3, seen);

        var error = await Assert.ThrowsAsync<WaitTimedOutException>(() =>
            Eventually.Until(() => Task.FromException<bool>(new HttpRequestException("Connection refused")), "node up", TimeSpan.FromMilliseconds(30)));
        Assert.EndsWith("last observed: HttpRequestException: Connection refused", error.Message);
    }

    [Theory]
    [InlineData(null, "null")]
    [InlineData("x", "\"x\"")]
    [InlineData(42, "42")]
    public void Describe_writes_one_readable_line(object? value, string expected) =>
        Assert.Equal(expected, Eventually.Describe(value));

    [Fact]
    public void Describe_writes_maps_and_json_on_one_line()
    {
        Assert.Equal("{a: [1, 2]}", Eventually.Describe(new Dictionary<string, int[]> { ["a"] = [1, 2] }));
        Assert.Equal("{\"role\":\"leader\"}", Eventually.Describe(System.Text.Json.Nodes.JsonNode.Parse("{ \"role\": \"leader\" }")));
    }
}
