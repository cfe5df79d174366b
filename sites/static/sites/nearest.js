// 使用我的位置: ask the browser for the position (only when the person presses the button) and list the
// service sites nearest to it. Without permission the page keeps its order (the household's grid).
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("use-location");
  if (!button) return;
  if (!navigator.geolocation) { button.hidden = true; return; }
  button.addEventListener("click", function () {
    button.textContent = "正在获取位置…";
    navigator.geolocation.getCurrentPosition(function (p) {
      location.search = "?lat=" + p.coords.latitude.toFixed(5) + "&lng=" + p.coords.longitude.toFixed(5);
    }, function () {
      button.textContent = "未能取得位置，仍按您家所在网格排列";
    }, {timeout: 10000});
  });
});
