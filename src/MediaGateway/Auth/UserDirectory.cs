using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using MediaGateway.Accounts;
using MediaGateway.Hosting;

namespace MediaGateway.Auth;

/// <summary>
/// Users and their API keys (section "Users"). Keys are stored only as SHA-256 hashes
/// (<c>ApiKeySha256</c>, hex) and compared in constant time. A JWT from the
/// OpenID Connect issuer (<see cref="GatewayAuthentication"/>) names a user here by its id, or — for a person with
/// no entry of their own — by a group (section "Auth:Oidc:Groups": the group's roles, level and department).
/// </summary>
internal sealed class UserDirectory
{
    public const string GroupsSection = "Auth:Oidc:Groups";

    private readonly ConcurrentDictionary<string, GatewayUser> _users;
    private readonly List<(byte[] Hash, GatewayUser User)> _keys;
    private readonly List<GroupGrant> _groups;

    private UserDirectory(Dictionary<string, GatewayUser> users, List<(byte[] Hash, GatewayUser User)> keys, List<GroupGrant> groups)
    {
        _users = new ConcurrentDictionary<string, GatewayUser>(users, StringComparer.Ordinal);
        _keys = keys;
        _groups = groups;
    }

    /// <summary>What a configured group gives a person who has no entry in "Users".</summary>
    private sealed record GroupGrant(string Group, string Department, IReadOnlySet<Role> Roles, int? ReviewLevel);

    public GatewayUser? Find(string id) => _users.GetValueOrDefault(id);

    /// <summary>
    /// The user a signed-in person is: their own entry when "Users" has one (it always wins), else the first group in
    /// configuration order that the person's token lists. A person known by a group is remembered from then on (until
    /// restart) under their id and name, so what they did shows their name. Null when neither matches.
    /// </summary>
    public GatewayUser? Resolve(string id, string? name, IReadOnlyCollection<string> groups)
    {
        if (Find(id) is { } configured) return configured;
        var grant = _groups.FirstOrDefault(g => groups.Contains(g.Group, StringComparer.Ordinal));
        if (grant is null) return null;
        var user = new GatewayUser(id, string.IsNullOrWhiteSpace(name) ? id : name, grant.Department, grant.Roles, grant.ReviewLevel);
        return _users[id] = user; // the latest sign-in's name and groups
    }

    /// <summary>Every configured user (deadline notices name the reviewers who could act).</summary>
    public IReadOnlyCollection<GatewayUser> All => [.. _users.Values];

    /// <summary>The user whose key this is, or null. Every stored hash is compared, in constant time each.</summary>
    public GatewayUser? Authenticate(string apiKey)
    {
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));
        GatewayUser? match = null;
        foreach (var (hash, user) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, presented))
            {
                match = user;
            }
        }

        return match;
    }

    public static string HashApiKey(string apiKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));

    public static UserDirectory Load(IConfiguration configuration, DepartmentDirectory departments)
    {
        var users = new Dictionary<string, GatewayUser>(StringComparer.Ordinal);
        var keys = new List<(byte[], GatewayUser)>();
        foreach (var section in configuration.GetSection("Users").GetChildren())
        {
            var key = section.Path;
            var name = section["Name"] is { Length: > 0 } n ? n : throw new ConfigurationException($"{key}:Name", "is required");
            var department = section["Department"] is { Length: > 0 } d ? d : throw new ConfigurationException($"{key}:Department", "is required");
            if (!departments.Contains(department))
            {
                throw new ConfigurationException($"{key}:Department", $"unknown department '{department}'");
            }

            var (roles, level) = RolesAndLevel(section);
            var user = new GatewayUser(section.Key, name, department, roles, level);
            users[user.Id] = user;
            var hashHex = section["ApiKeySha256"];
            if (!string.IsNullOrEmpty(hashHex))
            {
                if (hashHex.Length != 64 || !hashHex.All(Uri.IsHexDigit))
                {
                    throw new ConfigurationException($"{key}:ApiKeySha256", "must be 64 hex digits (SHA-256 of the key)");
                }

                keys.Add((Convert.FromHexString(hashHex), user));
            }
        }

        var groups = new List<GroupGrant>();
        foreach (var section in configuration.GetSection(GroupsSection).GetChildren())
        {
            var department = section["Department"] is { Length: > 0 } d ? d : throw new ConfigurationException($"{section.Path}:Department", "is required");
            if (!departments.Contains(department))
            {
                throw new ConfigurationException($"{section.Path}:Department", $"unknown department '{department}'");
            }

            var (roles, level) = RolesAndLevel(section);
            groups.Add(new GroupGrant(section.Key, department, roles, level));
        }

        return new UserDirectory(users, keys, groups);
    }

    /// <summary>The roles of a "Users" or "Auth:Oidc:Groups" entry, and the review level a reviewer needs.</summary>
    private static (HashSet<Role> Roles, int? Level) RolesAndLevel(IConfigurationSection section)
    {
        var key = section.Path;
        var roles = new HashSet<Role>();
        foreach (var role in section.GetSection("Roles").GetChildren())
        {
            roles.Add(Enum.TryParse<Role>(role.Value, out var r) && Enum.IsDefined(r)
                ? r
                : throw new ConfigurationException(role.Path, $"'{role.Value}' is not one of {string.Join(", ", Enum.GetNames<Role>())}"));
        }

        if (roles.Count == 0)
        {
            throw new ConfigurationException($"{key}:Roles", "at least one role is required");
        }

        int? level = null;
        if (roles.Contains(Role.Reviewer))
        {
            level = int.TryParse(section["ReviewLevel"], out var l) && l is >= 1 and <= Content.ContentItem.MaximumReviewLevels
                ? l
                : throw new ConfigurationException($"{key}:ReviewLevel", "a reviewer needs a level from 1 (初审) to the longest chain (审发 is the last level; 3 by default, at most 5)");
        }

        return (roles, level);
    }
}
