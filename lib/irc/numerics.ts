/**
 * The IRC numerics this server sends, by their usual names (RFC 1459/2812 and
 * modern.ircdocs.horse; SASL's from IRCv3). Each is sent as
 * `:server CODE target params…`, the target being the client's nickname, or `*`
 * before it has one. The texts of the last params are the usual English ones:
 * clients show their own words for most numerics; notices in the user's language
 * go as NOTICE lines.
 *
 * @module
 */

/** Numeric codes, by name. */
export const RPL = {
  WELCOME: "001",
  YOURHOST: "002",
  CREATED: "003",
  MYINFO: "004",
  ISUPPORT: "005",
  UMODEIS: "221",
  LUSERCLIENT: "251",
  AWAY: "301",
  USERHOST: "302",
  UNAWAY: "305",
  NOWAWAY: "306",
  WHOISUSER: "311",
  WHOISSERVER: "312",
  WHOISOPERATOR: "313",
  ENDOFWHO: "315",
  ENDOFWHOIS: "318",
  WHOISCHANNELS: "319",
  LISTSTART: "321",
  LIST: "322",
  LISTEND: "323",
  CHANNELMODEIS: "324",
  WHOISACCOUNT: "330",
  NOTOPIC: "331",
  TOPIC: "332",
  VERSION: "351",
  TIME: "391",
  WHOREPLY: "352",
  NAMREPLY: "353",
  ENDOFNAMES: "366",
  BANLIST: "367",
  ENDOFBANLIST: "368",
  MOTD: "372",
  MOTDSTART: "375",
  ENDOFMOTD: "376",
  YOUREOPER: "381",
  LOGGEDIN: "900",
  SASLSUCCESS: "903",
  SASLMECHS: "908",
} as const;

/** Error numerics, by name. None of them closes the connection. */
export const ERR = {
  NOSUCHNICK: "401",
  NOSUCHCHANNEL: "403",
  CANNOTSENDTOCHAN: "404",
  TOOMANYCHANNELS: "405",
  NOORIGIN: "409",
  NORECIPIENT: "411",
  NOTEXTTOSEND: "412",
  INPUTTOOLONG: "417",
  UNKNOWNCOMMAND: "421",
  NOMOTD: "422",
  NONICKNAMEGIVEN: "431",
  ERRONEUSNICKNAME: "432",
  NICKNAMEINUSE: "433",
  USERNOTINCHANNEL: "441",
  NOTONCHANNEL: "442",
  NOTREGISTERED: "451",
  NEEDMOREPARAMS: "461",
  ALREADYREGISTERED: "462",
  PASSWDMISMATCH: "464",
  YOUREBANNEDCREEP: "465",
  UNKNOWNMODE: "472",
  BADCHANNAME: "479",
  NOPRIVILEGES: "481",
  CHANOPRIVSNEEDED: "482",
  UMODEUNKNOWNFLAG: "501",
  USERSDONTMATCH: "502",
  INVALIDCAPCMD: "410",
  SASLFAIL: "904",
  SASLTOOLONG: "905",
  SASLABORTED: "906",
  SASLALREADY: "907",
} as const;

/** Any numeric code this server sends. */
export type NumericCode = (typeof RPL)[keyof typeof RPL] | (typeof ERR)[keyof typeof ERR];
