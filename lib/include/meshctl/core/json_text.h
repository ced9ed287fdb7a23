#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace meshctl {

// `value` written as JSON text: compact for indent -1 (Default), else indented by
// that many spaces. Every output of JSON goes through here: a string that is not
// valid UTF-8 (a file name, a value from an old registry) gets U+FFFD for each bad
// byte instead of the exception nlohmann::json's dump() throws, which would abort
// the program halfway through its output.
std::string json_text(const nlohmann::json& value, int indent = -1);
std::string json_text(const nlohmann::ordered_json& value, int indent = -1);

}  // namespace meshctl
