/**
 * The answers to a chat server's nickname and password prompts: the ones given on
 * the command line go once each by themselves; any other prompt is a question the
 * user's next line answers.
 *
 * @module
 */

/** The prompts the client knows. */
export type PromptKind = "nickname" | "password";

/** A prompt the user answers with the next line typed. */
export interface Question {
  kind: PromptKind;
  /** The server's prompt, trimmed. */
  prompt: string;
}

/** Options for {@linkcode PromptAnswers}. */
export interface PromptAnswersOptions {
  /** Answers the first nickname prompt. @default {undefined} */
  nick?: string;
  /** Answers the first password prompt. @default {undefined} */
  password?: string;
}

/** Which prompts were answered, and which question waits for the user. */
export class PromptAnswers {
  readonly #nick: string | undefined;
  readonly #password: string | undefined;
  #nickUsed = false;
  #passwordUsed = false;
  #nicknameDone = false;
  #question: Question | undefined;

  /**
   * @param options The answers given in advance.
   */
  constructor(options: PromptAnswersOptions) {
    this.#nick = options.nick;
    this.#password = options.password;
  }

  /**
   * The automatic answer to a prompt: the given one, the first time only (a second
   * prompt means the server refused it: the user types another).
   *
   * @param kind The prompt.
   * @returns The answer, now spent, or `undefined` when the user answers.
   */
  automatic(kind: PromptKind): string | undefined {
    if (kind === "nickname" && this.#nick !== undefined && !this.#nickUsed) {
      this.#nickUsed = true;
      return this.#nick;
    }
    if (kind === "password" && this.#password !== undefined && !this.#passwordUsed) {
      this.#passwordUsed = true;
      return this.#password;
    }
    return undefined;
  }

  /** Whether every answer given in advance went out (typed lines may follow). */
  get allAutomaticSent(): boolean {
    return (this.#nick === undefined || this.#nickUsed) &&
      (this.#password === undefined || this.#passwordUsed);
  }

  /**
   * Whether a nickname went to the server: from then on the Python original has a
   * session, which must end with its quit word.
   */
  get nicknameDone(): boolean {
    return this.#nicknameDone;
  }

  /** Notes that a nickname went to the server. */
  nicknameSent(): void {
    this.#nicknameDone = true;
  }

  /**
   * Keeps a prompt for the user's next line.
   *
   * @param question The prompt.
   */
  ask(question: Question): void {
    this.#question = question;
  }

  /**
   * Takes the question the next typed line answers.
   *
   * @returns The question, now answered, or `undefined` when none waits.
   */
  takeQuestion(): Question | undefined {
    const question = this.#question;
    this.#question = undefined;
    return question;
  }
}
