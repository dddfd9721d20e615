using System.Security.Cryptography;
using System.Text;
using MediaGateway.Accounts;
using MediaGateway.Hosting;

namespace MediaGateway.Auth;

/// <summary>
/// Users and their API keys (section "Users"). Keys are stored only as SHA-256 hashes
/// (<c>ApiKeySha256</c>, hex) and compared in constant time. A JWT from the
/// OpenID Connect issuer (<see cref="GatewayAuthentication"/>) names a user here by its id.
/// </summary>
internal sealed class UserDirectory
{
    private readonly Dictionary<string, GatewayUser> _users;
    private readonly List<(byte[] Hash, GatewayUser User)> _keys;

    private UserDirectory(Dictionary<string, GatewayUser> users, List<(byte[] Hash, GatewayUser User)> keys)
    {
        _users = users;
        _keys = keys;
    }

    public GatewayUser? Find(string id) => _users.GetValueOrDefault(id);

    /// <summary>Every configured user (deadline notices name the reviewers who could act).</summary>
    public IReadOnlyCollection<GatewayUser> All => _users.Values;

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

        return new UserDirectory(users, keys);
    }
}
