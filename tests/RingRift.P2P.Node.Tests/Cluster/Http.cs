using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>Raw HTTP for tests: exact bodies in, status and parsed JSON out.</summary>
public static class Http
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(20) };

    public sealed record Answer(int Status, JsonNode? Json, string Text)
    {
        public string? Code => Json?["code"]?.GetValue<string>();
        public string? Error => Json?["error"]?.GetValue<string>();
    }

    public static Task<Answer> GetAsync(string baseUrl, string path, string? token = null) =>
        SendAsync(HttpMethod.Get, baseUrl, path, null, token);

    public static Task<Answer> PostAsync(string baseUrl, string path, string body, string? token = null) =>
        SendAsync(HttpMethod.Post, baseUrl, path, body, token);

    public static Task<Answer> PostAsync(string baseUrl, string path, JsonNode body, string? token = null) =>
        SendAsync(HttpMethod.Post, baseUrl, path, body.ToJsonString(), token);

    public static async Task<Answer> SendAsync(HttpMethod method, string baseUrl, string path, string? body, string? token = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(new Uri(baseUrl), path));
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        try { json = text.Length > 0 ? JsonNode.Parse(text) : null; } catch (System.Text.Json.JsonException) { }
        return new Answer((int)response.StatusCode, json, text);
    }
}
