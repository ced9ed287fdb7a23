#include "commands/completion.h"

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "commands/commands.h"
#include "exit_codes.h"
#include "registry_access.h"

namespace meshctl::cli {

namespace {

// The scripts ask `meshctl __complete WORD...` (the words after `meshctl`, the last one being completed)
// for candidates, one per line. None: the shell completes file names instead.
constexpr std::string_view kBash = R"sh(# bash completion for meshctl: eval "$(meshctl completion bash)"
_meshctl() {
  local cur=${COMP_WORDS[COMP_CWORD]}
  local IFS=$'\n'
  COMPREPLY=($(meshctl __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
  if [[ ${#COMPREPLY[@]} -eq 0 ]]; then
    compopt -o default 2>/dev/null
  elif [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == */ ]]; then
    compopt -o nospace 2>/dev/null
  fi
}
complete -F _meshctl meshctl
)sh";

constexpr std::string_view kZsh = R"sh(#compdef meshctl
# zsh completion for meshctl: meshctl completion zsh > "${fpath[1]}/_meshctl", or eval "$(meshctl completion zsh)"
_meshctl() {
  local -a candidates folders others
  candidates=("${(@f)$(meshctl __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")
  candidates=(${candidates:#})
  if (( ${#candidates} == 0 )); then
    _files
    return
  fi
  folders=(${(M)candidates:#*/})
  others=(${candidates:#*/})
  (( ${#folders} )) && compadd -S '' -- $folders
  (( ${#others} )) && compadd -- $others
}
if [[ ${funcstack[1]} == _meshctl ]]; then
  _meshctl "$@"
else
  compdef _meshctl meshctl
fi
)sh";

constexpr std::string_view kFish =
    R"sh(# fish completion for meshctl: meshctl completion fish > ~/.config/fish/completions/meshctl.fish
function __meshctl_complete
    set -l words (commandline -opc)
    set -e words[1]
    meshctl __complete $words (commandline -ct) 2>/dev/null
end
complete -c meshctl -f -a '(__meshctl_complete)' -n 'test (count (__meshctl_complete)) -gt 0'
complete -c meshctl -F -n 'test (count (__meshctl_complete)) -eq 0'
)sh";

// The option of `command` (or of a command above it: their flags fall through) named `word` ("--format",
// "-j"); null when there is none.
const CLI::Option* find_option(const CLI::App* command, std::string_view word) {
  for (; command != nullptr; command = command->get_parent()) {
    for (const CLI::Option* option : command->get_options()) {
      if (option->nonpositional() && option->check_name(std::string(word))) return option;
    }
  }
  return nullptr;
}

// A named subcommand of `command` called `word`; null when there is none.
const CLI::App* find_command(const CLI::App* command, std::string_view word) {
  const auto found = command->get_subcommands([&](const CLI::App* sub) { return sub->get_name() == word; });
  return found.empty() ? nullptr : found.front();
}

// The values an option accepts when they are a fixed set: CLI11 shows them as "TEXT:{a,b,c}".
std::vector<std::string> fixed_values(const CLI::Option& option) {
  const auto type = option.get_type_name();
  const auto open = type.find('{');
  const auto close = type.rfind('}');
  std::vector<std::string> values;
  if (open == std::string::npos || close == std::string::npos || close < open) return values;
  std::string current;
  for (const char c : type.substr(open + 1, close - open - 1)) {
    if (c == ',') {
      values.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  values.push_back(current);
  return values;
}

// Products for DOMAIN/NAME arguments: the domains ("sales/") until a '/' is typed, then that domain's
// products. Nothing when no registry answers quickly; an embedded registry that does not exist is not made.
std::vector<std::string> product_names(const Context& context, const std::string& typed) {
  std::vector<std::string> names;
  auto registry = open_registry(context, {.existing_only = true, .timeout = std::chrono::seconds{1}});
  if (!registry) return names;
  const auto slash = typed.find('/');
  if (slash == std::string::npos) {
    auto domains = (*registry)->list_domains();
    if (domains) {
      for (const auto& domain : *domains) names.push_back(domain.name + "/");
    }
    return names;
  }
  registry::ProductFilter filter;
  filter.domain = typed.substr(0, slash);
  (void)registry::for_each_product(**registry, filter, [&](const registry::ProductRecord& product) {
    names.push_back(product.ref.text());
    return names.size() < 1000;
  });
  return names;
}

// The candidates for the last of `words` (the words after `meshctl`), whatever they begin with.
std::vector<std::string> candidates(const CLI::App& root, const std::vector<std::string>& words) {
  Context context;  // the global flags given so far: which registry to list products from
  const CLI::App* command = &root;
  std::string path;                       // the command's words ("get products")
  const CLI::Option* awaiting = nullptr;  // the option whose value the next word is
  std::size_t positionals = 0;
  const auto done = words.empty() ? words.end() : words.end() - 1;
  for (auto word = words.begin(); word != done; ++word) {
    if (awaiting != nullptr) {
      if (awaiting->check_name("--registry")) context.registry = *word;
      if (awaiting->check_name("--token")) context.token = *word;
      awaiting = nullptr;
    } else if (word->starts_with("-") && word->size() > 1) {
      const auto name = word->substr(0, word->find('='));
      const CLI::Option* option = find_option(command, name);
      if (option != nullptr && option->get_type_size() > 0 && name.size() == word->size()) awaiting = option;
    } else if (const CLI::App* sub = find_command(command, *word)) {
      command = sub;
      path += (path.empty() ? "" : " ") + sub->get_name();
      positionals = 0;
    } else {
      ++positionals;
    }
  }
  const std::string typed = words.empty() ? "" : words.back();
  std::vector<std::string> found;
  if (awaiting != nullptr && awaiting->check_name("--output")) {
    for (const auto format : output_formats(path)) found.emplace_back(format);
  } else if (awaiting != nullptr) {
    found = fixed_values(*awaiting);
  } else if (typed.starts_with("-")) {
    for (const CLI::App* owner = command; owner != nullptr; owner = owner->get_parent()) {
      for (const CLI::Option* option : owner->get_options()) {
        for (const auto& name : option->get_lnames()) found.push_back("--" + name);
      }
    }
  } else {
    // A command's subcommands, and the products its next argument names (describe has both: `term`).
    for (const CLI::App* sub : command->get_subcommands(
             [](const CLI::App* sub) { return !sub->get_name().empty() && !sub->get_group().empty(); })) {
      if (positionals == 0) found.push_back(sub->get_name());
    }
    const auto arguments = command->get_options([](const CLI::Option* option) { return option->get_positional(); });
    if (positionals < arguments.size() &&
        arguments[positionals]->get_description().find("DOMAIN/NAME") != std::string::npos) {
      auto products = product_names(context, typed);
      found.insert(found.end(), products.begin(), products.end());
    }
  }
  std::erase_if(found, [&](const std::string& candidate) { return !candidate.starts_with(typed); });
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

}  // namespace

void register_completion(CLI::App& app, Context& context) {
  auto shell = std::make_shared<std::string>();
  auto* command = app.add_subcommand("completion", "Print a shell completion script: bash, zsh or fish");
  command->footer(R"help(Completes commands, flags, the values of flags that take a fixed set, and product
names from the registry (meshctl describe sales/<TAB>); silent when no registry
answers within a second. `cmake --install` puts the scripts where each shell
looks; to try one in the current shell:

Examples:
  eval "$(meshctl completion bash)"
  meshctl completion zsh > "${fpath[1]}/_meshctl"
  meshctl completion fish > ~/.config/fish/completions/meshctl.fish)help");
  command->add_option("shell", *shell, "bash, zsh or fish")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
  command->callback([shell, &context] { *context.out << (*shell == "bash" ? kBash : *shell == "zsh" ? kZsh : kFish); });
}

int run_complete(std::span<const char* const> words, Context& context) {
  CLI::App tree{"meshctl", "meshctl"};
  Context unused;
  register_commands(tree, unused, {});
  for (const auto& candidate : candidates(tree, std::vector<std::string>(words.begin(), words.end()))) {
    *context.out << candidate << '\n';
  }
  return kSuccess;
}

}  // namespace meshctl::cli
